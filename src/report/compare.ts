// One scenario under several kernel profiles, side by side: the table a kernel developer checks
// against a thread's claims. Outcomes named "case: result" become one row per case, with each
// profile's results as shares of that case; other outcomes are one row each.
import { kernelLabel, type RunReport } from './report.js';

/** The `format` of `compare --json` (docs/schemas/compare.schema.json). */
export const COMPARE_FORMAT = 'foliorace-compare/1';

/** What a comparison reads of a run: a run's report, or a campaign cell's sums over its seeds. */
export type ComparedRun = Pick<RunReport, 'scenario' | 'kernel' | 'patchFile' | 'mode' | 'seed' | 'cpus' | 'iterations' | 'outcomes' |
  'forbidden' | 'violations' | 'deadlocks' | 'livelocks'>;
import { formatTable, RATE_NOTE, runHeadline } from './table.js';
import { num } from './num.js';

export interface CompareRow {
  /** The case (the part before ": "), or the outcome name. */
  case: string;
  /** Per profile: result → share of the case's iterations (0..1), and the case's iterations. */
  kernels: Record<string, { iterations: number; shares: Record<string, number> }>;
  /** What the scenario says the discussion claims for this case. */
  claim: string | null;
}

/** What `compare --json` prints: the rows, and each profile's full run report. */
export function compareJson(scenario: string, reports: readonly RunReport[], rows: readonly CompareRow[]): object {
  return { format: COMPARE_FORMAT, scenario, rows, runs: reports };
}

function split(name: string): [string, string] {
  const at = name.indexOf(': ');
  return at < 0 ? [name, name] : [name.slice(0, at), name.slice(at + 2)];
}

/** The comparison rows of reports of one scenario under different profiles. */
export function compareRows(reports: readonly ComparedRun[], claims: Readonly<Record<string, string>> = {}): CompareRow[] {
  const rows = new Map<string, CompareRow>();
  for (const r of reports) {
    const total = r.outcomes.reduce((a, o) => a + o.count, 0);
    for (const o of r.outcomes) {
      const [c, result] = split(o.name);
      let row = rows.get(c);
      if (!row) { row = { case: c, kernels: {}, claim: claims[c] ?? null }; rows.set(c, row); }
      const k = (row.kernels[kernelLabel(r)] ??= { iterations: 0, shares: {} });
      k.iterations += o.count;
      k.shares[result] = o.count;
      if (c === result) k.iterations = total; // a plain outcome: its share of all iterations
    }
  }
  for (const row of rows.values()) {
    for (const k of Object.values(row.kernels)) {
      for (const result of Object.keys(k.shares)) k.shares[result] = k.iterations > 0 ? k.shares[result]! / k.iterations : 0;
    }
  }
  return [...rows.values()];
}

function cell(shares: Record<string, number>, plain: boolean): string {
  const parts = Object.entries(shares).filter(([, s]) => s > 0).map(([result, s]) =>
    plain ? `${(100 * s).toFixed(1)}%` : `${result} ${(100 * s).toFixed(1)}%`);
  return parts.length > 0 ? parts.join(' · ') : '-';
}

/** The side-by-side table, with the run line of each profile above it. */
export function compareTable(reports: readonly ComparedRun[], rows: readonly CompareRow[]): string {
  const kernels = reports.map(kernelLabel);
  const withClaims = rows.some((r) => r.claim !== null);
  const header = ['case', ...kernels, ...(withClaims ? ['the discussion says'] : [])];
  const body = rows.map((row) => [row.case, ...kernels.map((k) => {
    const v = row.kernels[k];
    return v ? cell(v.shares, Object.keys(v.shares).length === 1 && Object.keys(v.shares)[0] === row.case) : '-';
  }), ...(withClaims ? [row.claim ?? ''] : [])]);
  const lines = reports.map((r) => `${runHeadline(r)} · ${num(r.iterations)} iterations` +
    `${r.forbidden + r.violations + r.deadlocks + r.livelocks > 0 ? ` · FORBIDDEN ${r.forbidden}, violations ${r.violations}` : ''}`);
  return [...lines, '', formatTable([header, ...body]).replace(/^/gm, '  '), `  ${RATE_NOTE}`].join('\n');
}
