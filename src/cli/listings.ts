// The texts of `foliorace list` and `foliorace kernels`, wrapped to fit 80 columns; `kernels --wide`
// keeps the profile × switch grid.
import { PATCHES, PROFILES, type PatchSwitch } from '../kernel/profile.js';
import { NOT_MODELLED } from '../kernel/stubs.js';
import { formatTable } from '../report/table.js';

export const COLUMNS = 80;

/** The `format` of `kernels --json` (docs/schemas/kernels.schema.json). */
export const KERNELS_FORMAT = 'foliorace-kernels/1';

/** `text` word-wrapped to `width` columns, every line after the first indented by `indent`. */
export function wrap(text: string, width: number, indent: string, first = indent): string {
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    const lead = line === first || line === indent;
    if (!lead && line.length + 1 + word.length > width) { lines.push(line); line = indent; }
    line += (line === first || line === indent ? '' : ' ') + word;
  }
  lines.push(line);
  return lines.join('\n');
}

export interface ScenarioListing { name: string; cpus: string; before: string; after: string; seeds: readonly string[]; summary: string }

/** One block per scenario: name, CPUs, before → after profiles; its summary; the discussions it models. */
export function listText(rows: readonly ScenarioListing[]): string {
  return rows.map((r) => [
    `${r.name} · ${r.cpus === '1' ? '1 CPU' : `${r.cpus} CPUs`} · ${r.before} → ${r.after}`,
    wrap(r.summary, COLUMNS, '    '),
    ...r.seeds.map((s) => wrap(s, COLUMNS, '      ', '    - ')),
  ].join('\n')).join('\n\n');
}

/** When a switch was in mainline: "v6.11 to v6.16", "v6.9 on", or "posted, not merged". */
export function releasesOf(x: PatchSwitch): string {
  if (x.since === null) return 'posted, not merged';
  return x.until === undefined ? `v${x.since} on` : `v${x.since}, reverted in v${x.until}`;
}

/** Every profile with the switches it turns on, by name; then every switch; then what is not modelled. */
export function kernelsText(wide: boolean): string {
  const names = PATCHES.map((x) => x.name);
  const profiles = wide
    ? formatTable([['profile', ...names.map((_, i) => `#${i + 1}`), 'summary'],
      ...PROFILES.map((pr) => [pr.name, ...names.map((n) => (pr.patches[n] ? 'on' : '-')), pr.summary])])
    : PROFILES.map((pr) => [
      `${pr.name}`,
      wrap(pr.summary, COLUMNS, '    '),
      wrap(names.filter((n) => pr.patches[n]).join(', ') || '(none)', COLUMNS, '      ', '    on: '),
    ].join('\n')).join('\n');
  const switches = PATCHES.map((x, i) => [
    `  ${wide ? `#${i + 1} ` : ''}${x.name}`,
    wrap(`${x.source} (${releasesOf(x)}): "${x.title}"`, COLUMNS, '      '),
    wrap(x.effect, COLUMNS, '      '),
  ].join('\n'));
  const notModelled = Object.entries(NOT_MODELLED).map(([what, why]) => wrap(`${what}: ${why}`, COLUMNS, '    ', '  '));
  return [`${wide ? '' : 'profiles (switches on):\n'}${profiles}`, `patch switches:\n${switches.join('\n')}`,
    `not modelled:\n${notModelled.join('\n')}`,
    `compose: foliorace run SCENARIO --kernel 6.10 --patch lru-clear-at-enqueue=on${wide ? '' : '\nthe profile × switch grid: foliorace kernels --wide'}`].join('\n\n');
}
