// `npm start`: every built-in scenario under its "before" and "after" kernel profiles (and any
// other profile where it expects the forbidden outcome), in pct and free mode, in one verdict
// table; then, for scenarios that measure shares against a discussion's claims, their
// before/after comparison.
import { BUILTIN_SCENARIOS } from '../scenarios/index.js';
import { runScenario } from '../runner/api.js';
import type { RunOptions } from '../runner/options.js';
import { formatTable } from '../report/table.js';
import { compareRows, compareTable } from '../report/compare.js';
import type { RunReport } from '../report/report.js';

const PCT_ITERATIONS = 20_000;
const FREE_MS = 2000;

/** `signal` (SIGINT, SIGTERM) stops the run in progress; the table then shows the runs so far. */
export async function runDemo(asJson: boolean, signal?: AbortSignal): Promise<number> {
  const comparisons: string[] = [];
  const rows: { scenario: string; kernel: string; mode: string; iterations: number; forbidden: number; violations: number;
    expected: string; verdict: string; agrees: boolean }[] = [];
  for (const s of BUILTIN_SCENARIOS) {
    if (signal?.aborted) break;
    // before, after, then every other profile where the scenario expects the forbidden outcome
    const others = Object.entries(s.expect).filter(([, e]) => e !== 'never').map(([k]) => k);
    const pct: RunReport[] = [];
    for (const kernel of [...new Set([s.before, s.after, ...others])]) {
      for (const mode of ['pct', 'free'] as const) {
        if (signal?.aborted) break;
        if (!asJson) process.stderr.write(`running ${s.name} under ${kernel} (${mode})…\n`);
        const o: RunOptions = { scenario: s.name, kernel, mode, seed: '1', out: null };
        if (mode === 'pct') o.iterations = PCT_ITERATIONS;
        else { o.iterations = 1e9; o.durationMs = FREE_MS; }
        const r = await runScenario(o, signal ? { signal } : {});
        if (mode === 'pct' && (kernel === s.before || kernel === s.after)) pct.push(r);
        const found = r.forbidden + r.violations + r.deadlocks > 0;
        const expected = s.expect[kernel] ?? 'found';
        rows.push({
          scenario: s.name, kernel, mode, iterations: r.iterations, forbidden: r.forbidden, violations: r.violations + r.deadlocks,
          expected, verdict: found ? 'BUG REPRODUCED' : r.interrupted ? 'interrupted' : 'no forbidden outcome',
          agrees: expected === 'window' || (expected === 'found') === found || (r.interrupted && !found),
        });
      }
    }
    if (s.claims && !asJson) comparisons.push(compareTable(pct, compareRows(pct, s.claims)));
  }
  if (asJson) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else {
    process.stdout.write(`\n${formatTable([['scenario', 'kernel', 'mode', 'iterations', 'forbidden', 'violations', 'verdict', 'expected'],
      ...rows.map((r) => [r.scenario, r.kernel, r.mode, r.iterations.toLocaleString('en-US'), r.forbidden.toLocaleString('en-US'),
        r.violations.toLocaleString('en-US'), r.verdict, `${r.expected}${r.agrees ? '' : '  ✗ DISAGREES'}`])],
    [false, false, false, true, true, true])}\n`);
    for (const c of comparisons) process.stdout.write(`\n${c}\n`);
    process.stdout.write('\nDetails of one run: foliorace run <scenario> --kernel <profile> --mode pct --seed 1\n');
    process.stdout.write('Side by side:       foliorace compare <scenario> --kernels A,B --mode pct --seed 1\n');
  }
  return rows.every((r) => r.agrees) ? 0 : 1;
}
