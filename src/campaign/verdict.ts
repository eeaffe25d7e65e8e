// Verdicts: a cell's result against its expectation, the terminal table of a campaign, the exit code.
import type { Expectation } from '../scenario/define.js';
import { compareRows, compareTable, type ComparedRun } from '../report/compare.js';
import { formatTable } from '../report/table.js';
import type { ExitPolicy } from './file.js';
import { modeLabel, profileLabel } from './plan.js';
import type { CellResult, MergedResult, Verified } from './result.js';
import { num } from '../report/num.js';

/** 'window': found or not, depending on mode and timing; null: the campaign states no expectation. */
export function verdictOf(expected: Expectation | null, found: boolean, verified?: Verified): { text: string; agrees: boolean } {
  return {
    text: found ? 'BUG REPRODUCED' : verified === undefined ? 'no forbidden outcome'
      : verified.complete ? `verified (${num(verified.classes)} classes${inParts(verified)})`
        : `no forbidden outcome (NOT every class explored: ${num(verified.classes)}${inParts(verified)})`,
    agrees: expected === null || expected === 'window' || (expected === 'found') === found,
  };
}

/** ", in 4 parts: all 26 subtrees" or ", in 4 parts: 20 of 26 subtrees"; '' for a cell not in parts. */
function inParts(v: Verified): string {
  const p = v.parts;
  if (p === undefined) return '';
  return `, in ${p.count} parts: ${p.explored === p.subtrees ? `all ${num(p.subtrees)}` : `${num(p.explored)} of ${num(p.subtrees)}`} subtrees`;
}

/** Exit status of a campaign, merged or one shard's part, under its exit policy. */
export function campaignExitCode(cells: readonly CellResult[], policy: ExitPolicy): 0 | 1 {
  const bad = policy === 'finding' ? cells.some((c) => c.found) : cells.some((c) => !c.agrees);
  return bad ? 1 : 0;
}


/** The verdict table (cells with no result are left out), then each scenario's claims side by side. */
export function verdictText(m: MergedResult): string {
  const cells = m.cells.filter((c) => c.seeds.length > 0);
  const seeds = cells.some((c) => c.seeds.length > 1);
  const table = formatTable([
    ['scenario', 'kernel', 'mode', ...(seeds ? ['seeds'] : []), 'iterations', 'forbidden', 'violations', 'verdict', 'expected'],
    ...cells.map((c) => [c.name, profileLabel(c), modeLabel(c), ...(seeds ? [String(c.seeds.length)] : []), num(c.iterationsRun), num(c.forbidden),
      num(c.violations + c.deadlocks + c.livelocks), verdictOf(c.expected, c.found, c.verify).text, `${c.expected ?? '-'}${c.agrees ? '' : '  ✗ DISAGREES'}`]),
  ], [false, false, false, ...(seeds ? [true] : []), true, true, true]);
  const parts = [table, ...claimComparisons(m, cells)];
  return parts.join('\n\n');
}

/** For scenarios that carry a discussion's claims: their pct cells, before next to after. */
function claimComparisons(m: MergedResult, cells: readonly CellResult[]): string[] {
  const out: string[] = [];
  for (const [name, info] of Object.entries(m.campaign.scenarios)) {
    if (Object.keys(info.claims).length === 0) continue;
    const pair = [info.before, info.after].map((k) => cells.find((c) => c.name === name && c.mode === 'pct' && c.memory === undefined &&
      c.kernel === k && Object.keys(c.patches).length === 0 && !c.patchFile)).filter((c): c is CellResult => c !== undefined);
    if (pair.length < 2) continue;
    const reports = pair.map(asCompared);
    out.push(compareTable(reports, compareRows(reports, info.claims)));
  }
  return out;
}

/** What the comparison table reads of a cell: its sums over its seeds. */
function asCompared(c: CellResult): ComparedRun {
  return {
    scenario: c.name, kernel: c.kernel, mode: c.mode, seed: seedsLabel(c.seeds), cpus: c.cpus, iterations: c.iterationsRun,
    outcomes: c.outcomes, forbidden: c.forbidden, violations: c.violations, deadlocks: c.deadlocks, livelocks: c.livelocks,
  };
}

/** "1", "1,2,3", or "1…64 (64 seeds)". */
export function seedsLabel(seeds: readonly string[]): string {
  return seeds.length <= 4 ? seeds.join(',') : `${seeds[0]}…${seeds[seeds.length - 1]} (${seeds.length} seeds)`;
}
