// The terminal report of `foliorace bench drain`: start-up, cost per call, the piggyback storm and
// GUP pin throughput per drain policy.
import { formatTable } from '../report/table.js';
import type { DrainBenchReport } from './drain.js';

const f = (x: number): string => x.toLocaleString('en-US', { maximumFractionDigits: 1 });
const indent = (s: string): string => s.replace(/^/gm, '  ');

export function drainBenchTable(r: DrainBenchReport): string {
  const out: string[] = [
    `foliorace bench drain · kernel ${r.kernel}${r.patches.length ? ` + ${r.patches.join(', ')}` : ''}` +
    `${r.patchFile ? ` + patch file ${r.patchFile.name}` : ''} · ${r.host.cores}-core host · ` +
      `node ${r.host.node} · ${r.options.reps} reps per figure · ${(r.elapsedMs / 1000).toFixed(1)} s`,
    '',
    'worker start-up (not in any figure below):',
    indent(formatTable([['CPUs', 'start-up ms', 'RSS MiB/worker', 'machine KiB'],
      ...r.startup.map((s) => [String(s.cpus), f(s.ms), f(s.rssPerWorkerMiB), f(s.machineKiB)])], [true, true, true, true])),
  ];
  if (r.cost.length > 0) {
    out.push('', `cost of one call on CPU0 (µs; sim = simulated time of the modelled machine, wall = this host; ` +
      `pending CPUs hold ${r.options.perCpu} folios each; counts are medians over all CPUs):`,
      indent(formatTable([['op', 'CPUs', 'batch', 'pending', 'load', 'sim µs', 'wall µs', 'wall p99', 'moved', 'lock acq',
        'work', 'wait µs'],
      ...r.cost.map((c) => [c.op, String(c.cpus), String(c.batch), String(c.pendingCpus), c.load, f(c.simUs.median), f(c.wallUs.median),
        f(c.wallUs.p99), f(c.foliosMoved), f(c.lruLockAcquisitions), f(c.workQueued), f(c.callerWaitUs.median)])],
      [false, true, true, true, false, true, true, true, true, true, true, true])));
  }
  if (r.piggyback.length > 0) {
    out.push('', 'every CPU calls lru_add_drain_all() at once, each with folios pending (medians per rep):',
      indent(formatTable([['CPUs', 'callers', 'drains', 'skipped', 'moved', 'work', 'sim µs', 'wall µs', 'wall p99', 'wait/caller µs'],
        ...r.piggyback.map((p) => [String(p.cpus), String(p.callers), f(p.drainsStarted), f(p.callsSkipped), f(p.foliosMoved), f(p.workQueued),
          f(p.callSimUs.median), f(p.callUs.median), f(p.callUs.p99), f(p.waitPerCallerUs)])], Array(10).fill(true) as boolean[])));
  }
  if (r.gupPinThroughput.length > 0) {
    const g = r.gupPinThroughput[0]!;
    out.push('', `gup-pin-throughput: CPU0 pins ${g.pages} CMA pages (FOLL_LONGTERM) per rep, ${g.reps} reps, while ${g.cpus - 1} CPUs touch them:`,
      indent(formatTable([['policy', 'pins/s', 'failed', 'failure rate', 'drain_all/pin', 'drain µs/pin', 'drain share'],
        ...r.gupPinThroughput.map((x) => [x.policy, f(x.pinsPerSecond), `${x.failed}/${x.pins + x.failed}`, `${(100 * x.failureRate).toFixed(1)}%`,
          f(x.drainAllPerPin), f(x.drainUsPerPin), `${(100 * x.drainShare).toFixed(0)}%`])], [false, true, true, true, true, true, true])));
  }
  return out.join('\n');
}
