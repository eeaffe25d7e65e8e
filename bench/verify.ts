// Verify mode against every built-in scenario under its before and after profiles
// (docs/verify.md, "Every built-in scenario"): with no preemption bound within BUDGET seconds, or
// the largest bound that completes within it and the estimated size of the rest; and classes/s,
// runs/s beside exhaustive mode's schedules/s at the same bound (K = 2), in one sitting; and whether the
// outcomes verify reaches (with no bound where it completes, and at K = 2) equal exhaustive mode's at K = 2.
//   npm run build && node dist/bench/verify.js [BUDGET_SECONDS] [SCENARIO]
// Prints a markdown table. Rates are rates under foliorace's scheduler on this machine.
// Nothing here runs in `npm test`: speed is measured, never asserted.
import { runScenario } from '../src/api/run.js';
import type { RunReport } from '../src/report/report.js';
import { BUILTIN_SCENARIOS } from '../src/scenarios/index.js';
import { num } from '../src/report/num.js';

const budget = Number(process.argv[2] ?? 60);
const only = process.argv[3];
const whole = (n: number): string => num(Math.round(n));

async function verify(scenario: string, kernel: string, preemptions?: number): Promise<RunReport> {
  return runScenario({ scenario, kernel, mode: 'verify', seed: '1', out: null, durationMs: budget * 1000, shrink: false,
    ...(preemptions === undefined ? {} : { preemptions }) }, { keepGoing: true });
}

/** The outcomes and invariant results a run reached. */
const reached = (r: RunReport): string => [...r.outcomes.filter((o) => o.count > 0).map((o) => o.name),
  ...(r.violations > 0 ? ['violation'] : []), ...(r.deadlocks > 0 ? ['deadlock'] : [])].sort().join(', ');

process.stdout.write(`| scenario | profile | verify, no bound | largest bound done (classes, runs, s) | rest (estimate) | ` +
  `K=2: verify classes/s, runs/s | K=2: exhaustive schedules/s | outcomes (= exhaustive K=2's?) |\n` +
  `| --- | --- | --- | --- | --- | --- | --- | --- |\n`);
for (const s of BUILTIN_SCENARIOS) {
  if (only && s.name !== only) continue;
  for (const kernel of [s.before, s.after]) {
    const all = await verify(s.name, kernel);
    const v = all.verify!;
    const full = `${v.complete ? 'verified' : 'not done'}: ${whole(v.classes)} classes, ${whole(v.schedules)} runs, ${(all.elapsedMs / 1000).toFixed(1)} s`;
    let largest = '-', rest = '-';
    if (!v.complete) {
      rest = `${whole(v.pending)} branches left, about ${whole(v.estimate)} classes`;
      for (let k = 0; k <= 8; k++) {
        const b = await verify(s.name, kernel, k);
        if (!b.verify!.complete) break;
        largest = `K=${k}: ${whole(b.verify!.classes)}, ${whole(b.verify!.schedules)}, ${(b.elapsedMs / 1000).toFixed(1)}`;
      }
    }
    const v2 = await verify(s.name, kernel, 2);
    const ex = await runScenario({ scenario: s.name, kernel, mode: 'exhaustive', preemptions: 2, seed: '1', out: null,
      durationMs: budget * 1000, shrink: false }, { keepGoing: true });
    const sec = (r: RunReport): number => Math.max(r.elapsedMs, 1) / 1000;
    const k2 = `${whole(v2.verify!.classes / sec(v2))}, ${whole(v2.verify!.schedules / sec(v2))}${v2.verify!.complete ? '' : ' (not done)'}`;
    const e2 = `${whole(ex.exhaustive!.schedules / sec(ex))} (${whole(ex.exhaustive!.schedules)}${ex.exhaustive!.complete ? '' : ', not done'})`;
    // with every class explored (or at K = 2), verify reaches what the unreduced search reaches
    const same = (v.complete ? reached(all) === reached(ex) : true) && reached(v2) === reached(ex);
    const outcomes = `${reached(ex)} (${!ex.exhaustive!.complete ? 'exhaustive not done' : same ? 'equal' : 'DIFFERENT'})`;
    process.stdout.write(`| ${s.name} | ${kernel} | ${full} | ${largest} | ${rest} | ${k2} | ${e2} | ${outcomes} |\n`);
  }
}
process.exit(0);
