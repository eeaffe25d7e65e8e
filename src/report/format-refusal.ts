// What a reader of foliorace's own files says when their format is not the one it reads
// (docs/cli.md, "Machine-readable outputs"): one line that names the file and the format.

/** A format's kind and number: "foliorace-campaign-shard/2" → ["foliorace-campaign-shard", 2]; a bare 2 → ["", 2]. */
function formatParts(f: unknown): [string, number] | null {
  if (typeof f === 'number') return Number.isSafeInteger(f) && f > 0 ? ['', f] : null;
  const m = typeof f === 'string' ? /^(.+)\/([1-9]\d*)$/.exec(f) : null;
  return m ? [m[1]!, Number(m[2])] : null;
}

/**
 * Null when `got` is a format of the same kind as `reads` but another number (a foliorace of
 * another version wrote the file): then the line that refuses it. Anything else is not a format of
 * this kind at all, which the caller words as "not a … file". `field` is where the format is
 * written: "format", or "foliorace" in a failure file.
 */
export function unknownFormatLine(path: string, what: string, field: string, got: unknown, reads: string | number): string | null {
  const g = formatParts(got), r = formatParts(reads);
  if (g === null || r === null || g[0] !== r[0] || g[1] === r[1]) return null;
  const shown = (f: string | number): string => typeof f === 'number' ? `"${field}": ${f}` : f;
  return `${path} is a ${what} of format ${shown(got as string | number)}, which this foliorace does not read ` +
    `(it reads ${shown(reads)}): use the foliorace that wrote it, or a newer one`;
}
