// The verdict table of docs/corpus.md: every built-in scenario under every profile, from a merged
// campaign result (campaigns/verdicts.json), each cell traced to the switches, and so the commits,
// that decide it. A found cell names its failure file (copied under docs/verdicts/failures/).
//   node dist/scripts/verdict-table.js MERGED_DIR > table.md
import { basename } from 'node:path';
import { readMergedResult, type CellResult } from '../src/campaign/result.js';
import { PATCHES, PROFILES, type PatchName } from '../src/kernel/profile.js';

/** Per scenario: the switches that decide its verdict (docs/corpus.md says why), or why it has none. */
export const DECIDED_BY: Record<string, readonly PatchName[] | string> = {
  'gup-longterm-vs-activate': ['lru-clear-at-enqueue', 'gup-collect-isolated-only', 'gup-drain-refcount'],
  'gup-remote-pin-touch': ['lru-clear-at-enqueue', 'gup-drain-refcount'],
  'wp-reuse-local-batch': 'a measurement of reuse and copy; its one forbidden outcome (lost-write) is a safety net',
  'wp-swapcache-reuse-after-fork': ['wp-reuse-swapcache-count', 'wp-free-swapcache', 'anon-exclusive'],
  'swapin-exclusive-stable-writes': ['swp-exclusive', 'swp-exclusive-inverted'],
  'swapin-exclusive-stable-writes-zram': ['swp-exclusive', 'swp-exclusive-inverted'],
  'madv-free-redirty-vs-reclaim': ['madvfree-naive-pte', 'madvfree-2014-v3'],
  'madv-free-swapin-clean-pte': ['madvfree-naive-pte', 'madvfree-2014-v3'],
  'same-folio-two-batches': 'a histogram of where one folio sits (no forbidden outcome): nothing to find',
  'gup-pin-unisolated-cma': ['gup-collect-isolated-only', 'lru-clear-at-enqueue'],
  'swapin-skip-cache-race': ['swapin-skip-cache-claim'],
  'madv-free-dio-read': ['lazyfree-refcheck'],
  'gup-pin-mlocked-fault': ['mlock-batch', 'gup-drain-refcount'],
  'gup-longterm-never-lru': ['gup-collect-isolated-only'],
};

const sourceOf = (n: PatchName): string => {
  const p = PATCHES.find((x) => x.name === n)!;
  return `${p.source.split(/[;,(]/)[0]!.trim()}${p.since === null ? ', posting' : `, v${p.since}`}`;
};

function verdict(c: CellResult | undefined, failures: Map<string, string>): string {
  if (!c || c.seeds.length === 0) return 'no result';
  if (!c.found) return 'never';
  const file = failures.get(c.key);
  const what = c.livelocks > 0 ? 'livelock' : 'found';
  return file ? `**${what}** ([f](verdicts/failures/${basename(file)}))` : `**${what}**`;
}

export function verdictTable(dir: string): string {
  const m = readMergedResult(dir);
  const failures = new Map(m.failures.filter((f) => f.file).map((f) => [f.cell, f.file!]));
  const scenarios = [...new Set(m.cells.map((c) => c.name))];
  const out: string[] = [];
  const profiles = PROFILES.map((p) => p.name);
  out.push(`| scenario | ${profiles.join(' | ')} |`, `| --- |${profiles.map(() => ' --- |').join('')}`);
  for (const s of scenarios) {
    const cells = profiles.map((p) => verdict(m.cells.find((c) => c.name === s && c.kernel === p), failures));
    out.push(`| \`${s}\` | ${cells.join(' | ')} |`);
  }
  out.push('', 'Why, per scenario: the profiles grouped by the switches that decide the verdict.', '');
  for (const s of scenarios) {
    const by = DECIDED_BY[s];
    if (by === undefined) { out.push(`- \`${s}\`: no decision recorded (scripts/verdict-table.ts)`); continue; }
    if (typeof by === 'string') { out.push(`- \`${s}\`: ${by}.`); continue; }
    const groups = new Map<string, string[]>();
    for (const p of PROFILES) {
      const key = by.map((n) => `${n}=${p.patches[n] ? 'on' : 'off'}`).join(', ');
      const v = verdict(m.cells.find((c) => c.name === s && c.kernel === p.name), new Map()).replace(/\*/g, '');
      const k = `${key} → ${v}`;
      groups.set(k, [...(groups.get(k) ?? []), p.name]);
    }
    out.push(`- \`${s}\`, decided by ${by.map((n) => `\`${n}\` (${sourceOf(n)})`).join(', ')}:`);
    for (const [k, ps] of groups) out.push(`  - ${k}: ${ps.join(', ')}`);
  }
  return out.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2];
  if (!dir) { process.stderr.write('usage: node dist/scripts/verdict-table.js MERGED_DIR\n'); process.exit(2); }
  process.stdout.write(`${verdictTable(dir)}\n`);
}
