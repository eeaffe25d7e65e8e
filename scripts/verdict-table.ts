// The verdict table of docs/corpus.md: every built-in scenario under every profile, from a merged
// campaign result (campaigns/verdicts.json), each cell traced to the switches, and so the commits,
// that decide it. A found cell names its failure file (copied under docs/verdicts/failures/).
//   node dist/scripts/verdict-table.js MERGED_DIR > table.md
//   node dist/scripts/verdict-table.js MERGED_DIR --files   (the failure files the table links)
import { basename } from 'node:path';
import { readMergedResult, type CellResult, type FailureEntry } from '../src/campaign/result.js';
import { compareReleases, type Release } from '../src/kernel/patches.js';
import { PATCHES, PROFILES, type PatchName, type Profile } from '../src/kernel/profile.js';

/** Per scenario: the switches that decide its verdict (docs/corpus.md says why), or why it has none. */
export const DECIDED_BY: Record<string, readonly PatchName[] | string> = {
  'gup-longterm-vs-activate': ['lru-clear-at-enqueue', 'gup-collect-isolated-only', 'gup-drain-refcount'],
  'gup-remote-pin-touch': ['lru-clear-at-enqueue', 'gup-drain-refcount'],
  'wp-reuse-local-batch': 'a measurement of reuse and copy in every profile; its one forbidden outcome (lost-write) is a safety net, ' +
    'never reached',
  'wp-swapcache-reuse-after-fork': ['wp-reuse-swapcache-count', 'wp-free-swapcache', 'anon-exclusive'],
  'swapin-exclusive-stable-writes': ['swp-exclusive', 'swp-exclusive-inverted', 'wp-reuse-swapcache-count'],
  'swapin-exclusive-stable-writes-zram': ['swp-exclusive', 'swp-exclusive-inverted'],
  'madv-free-redirty-vs-reclaim': ['madvfree-naive-pte', 'madvfree-2014-v3'],
  'madv-free-swapin-clean-pte': ['madvfree-naive-pte', 'madvfree-2014-v3'],
  'same-folio-two-batches': 'a histogram of where one folio sits; it declares no forbidden outcome, so never says only that ' +
    'no deadlock, livelock or invariant violation was met',
  'gup-pin-unisolated-cma': ['gup-collect-isolated-only', 'lru-clear-at-enqueue'],
  'swapin-skip-cache-race': ['swapin-skip-cache-claim'],
  'madv-free-dio-read': ['lazyfree-refcheck'],
  'gup-pin-mlocked-fault': ['mlock-batch', 'gup-drain-refcount'],
  'gup-longterm-never-lru': ['gup-collect-isolated-only'],
  'swapin-sole-owner-write': ['swapin-free-after-map'],
  'reclaim-vs-mlocked-swapin': 'every version refuses to unmap a VM_LOCKED mapping (try_to_unmap_one(), or folio_referenced_one() ' +
    'first from 5.18); the versions differ in who mlocks the page (mlock-batch, swapin-new-anon-rmap: shares in row 18–19), not in the verdict',
};

const LONGTERM_CMA = 'FOLL_LONGTERM migration out of CMA came with 9a4e9f3b2d73 ("mm: update get_user_pages_longterm to ' +
  'migrate pages allocated from CMA region", v5.1: the commit read in the Fixes: tags of Hugh Dickins\' and yangge\'s patches, ' +
  'its release inferred)';

/** Scenarios whose mechanism mainline did not have before a release: not applicable to a profile on an older base. */
export const NOT_BEFORE: Record<string, { release: Release; why: string }> = {
  'gup-longterm-vs-activate': { release: '5.1', why: LONGTERM_CMA },
  'gup-remote-pin-touch': { release: '5.1', why: LONGTERM_CMA },
  'gup-pin-unisolated-cma': { release: '5.1', why: LONGTERM_CMA },
  'gup-pin-mlocked-fault': { release: '5.1', why: LONGTERM_CMA },
  'gup-longterm-never-lru': { release: '5.1', why: LONGTERM_CMA },
  'swapin-skip-cache-race': { release: '4.15', why: 'the swap cache is skipped for SWP_SYNCHRONOUS_IO devices since 0bcac06f27d7 ' +
    '("mm, swap: skip swapcache for swapin of synchronous device", committed 15 Nov 2017 as a mail quoting it shows; v4.15 inferred)' },
  'swapin-sole-owner-write': { release: '5.10', why: 'the scenario tells the two paths apart by /proc/vmstat pgreuse, which came with ' +
    'Peter Xu\'s "mm: Add PGREUSE counter" (posted 21 Aug 2020, read in the mail; v5.10 inferred)' },
};

/** Why `scenario` does not apply to `p`, or null if it does. */
export function notApplicable(scenario: string, p: Profile): string | null {
  const nb = NOT_BEFORE[scenario];
  return nb && compareReleases(p.base, nb.release) < 0 ? `mainline before v${nb.release}: ${nb.why}` : null;
}

const sourceOf = (n: PatchName): string => {
  const p = PATCHES.find((x) => x.name === n)!;
  return `${p.source.split(/[;,(]/)[0]!.trim()}${p.since === null ? ', posting' : `, v${p.since}`}`;
};

function verdict(c: CellResult | undefined, failures: Map<string, FailureEntry>, p: Profile): string {
  if (c && notApplicable(c.name, p) !== null) return 'n/a';
  if (!c || c.seeds.length === 0) return 'no result';
  if (!c.found) return 'never';
  const f = failures.get(c.key);
  if (!f) return '**found**';
  const what = f.kind === 'forbidden' ? f.outcome : f.kind;
  return f.file ? `**found** [${what}](verdicts/failures/${basename(f.file)})` : `**found** ${what}`;
}

export function verdictTable(dir: string): string {
  const m = readMergedResult(dir);
  const failures = new Map<string, FailureEntry>();
  for (const f of m.failures) if (!failures.has(f.cell)) failures.set(f.cell, f);
  const scenarios = [...new Set(m.cells.map((c) => c.name))];
  const out: string[] = [];
  const profiles = PROFILES.map((p) => p.name);
  out.push(`| scenario | ${profiles.join(' | ')} |`, `| --- |${profiles.map(() => ' --- |').join('')}`);
  for (const s of scenarios) {
    const cells = PROFILES.map((p) => verdict(m.cells.find((c) => c.name === s && c.kernel === p.name), failures, p));
    out.push(`| \`${s}\` | ${cells.join(' | ')} |`);
  }
  out.push('', 'Why, per scenario: the profiles grouped by the switches that decide the verdict.', '');
  for (const s of scenarios) {
    const by = DECIDED_BY[s];
    if (by === undefined) { out.push(`- \`${s}\`: no decision recorded (scripts/verdict-table.ts)`); continue; }
    const na = [...new Set(PROFILES.map((p) => notApplicable(s, p)).filter((w) => w !== null))];
    if (typeof by === 'string') { out.push(`- \`${s}\`: ${by}.${na.length ? ` Not applicable: ${na.join('; ')}.` : ''}`); continue; }
    if (na.length) out.push(`- \`${s}\`: not applicable to the profiles on an older base, ${na.join('; ')}.`);
    const groups = new Map<string, string[]>();
    const decided = new Map<string, string>();
    for (const p of PROFILES.filter((x) => notApplicable(s, x) === null)) {
      const key = by.map((n) => `${n}=${p.patches[n] ? 'on' : 'off'}`).join(', ');
      const v = verdict(m.cells.find((c) => c.name === s && c.kernel === p.name), failures, p).replace(/\*|\]\(.*\)/g, '').replace('[', '');
      const k = `${key} → ${v}`;
      groups.set(k, [...(groups.get(k) ?? []), p.name]);
      const before = decided.get(key);
      if (before !== undefined && before !== v) {
        throw new Error(`${s}: ${key} gives ${before} and ${v}: DECIDED_BY does not name every switch that decides it`);
      }
      decided.set(key, v);
    }
    out.push(`- \`${s}\`, decided by ${by.map((n) => `\`${n}\` (${sourceOf(n)})`).join(', ')}:`);
    for (const [k, ps] of groups) out.push(`  - ${k}: ${ps.join(', ')}`);
  }
  return out.join('\n');
}

/** The failure files the table links: one per applicable found cell. */
export function linkedFailures(dir: string): string[] {
  const m = readMergedResult(dir);
  const profile = new Map(PROFILES.map((p) => [p.name, p]));
  const found = new Set(m.cells.filter((c) => c.found && profile.has(c.kernel) && notApplicable(c.name, profile.get(c.kernel)!) === null)
    .map((c) => c.key));
  return m.failures.flatMap((f) => (f.file && found.has(f.cell) ? [f.file] : []));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2];
  if (!dir) { process.stderr.write('usage: node dist/scripts/verdict-table.js MERGED_DIR [--files]\n'); process.exit(2); }
  process.stdout.write(`${process.argv[3] === '--files' ? linkedFailures(dir).join('\n') : verdictTable(dir)}\n`);
}
