// `foliorace bench drain`: the drain-cost experiments over CPU counts, batch sizes, fill levels and
// loads, one bench machine per CPU count (populated for the largest batch, its workers reused for
// every measurement on it), then the piggyback storm and GUP pin throughput. Returns the report.
import { availableParallelism } from 'node:os';
import { NEWEST_PROFILE } from '../kernel/profile.js';
import { BenchMachine, type Startup } from './machine.js';
import { drainMachine, drainMachineConfig, gupMachine, gupMachineConfig } from './population.js';
import {
  GUP_POLICIES, measureCost, measureGup, measurePiggyback, ownGupPolicy, pendingCpusOf,
  type CostOp, type CostRow, type Fill, type GupRow, type Kernel, type Load, type PiggybackRow,
} from './experiments.js';

export const EXPERIMENTS = ['cost', 'piggyback', 'gup'] as const;
export type Experiment = (typeof EXPERIMENTS)[number];
/** The kernel's folio batch sizes: PAGEVEC_SIZE 15 before v6.9, 31 from v6.9. */
export const BATCH_SIZES = [15, 31] as const;

export interface DrainBenchOptions {
  cpus: number[];
  batches: number[];
  fills: Fill[];
  loads: Load[];
  /** Folios pending in each filled CPU (below the smallest batch, so that nothing flushes). */
  perCpu: number | null;
  reps: number;
  /** The profile of the cost and piggyback experiments; with `ownGup`, a policy of the gup experiment too. */
  kernel: Kernel;
  ownGup: boolean;
  experiments: Experiment[];
  gupCpus: number;
  gupPages: number;
  gupReps: number;
}

export const DEFAULT_OPTIONS: DrainBenchOptions = {
  cpus: [1, 2, 4, 8, 16, 32, 64, 128, 256], batches: [15, 31], fills: ['none', 'one', 'half', 'all'], loads: ['quiet', 'busy'],
  perCpu: null, reps: 20, kernel: { kernel: NEWEST_PROFILE, patches: {}, patch: null }, ownGup: false,
  experiments: ['cost', 'piggyback', 'gup'],
  gupCpus: 4, gupPages: 64, gupReps: 40,
};

/** `--quick` (and `npm run bench`): a short run that still shows every series. */
export const QUICK: Partial<DrainBenchOptions> = { cpus: [1, 2, 4, 8], reps: 8, gupReps: 10 };

export interface Series {
  name: string;
  op: CostOp;
  fill: Fill;
  load: Load;
  batch: number;
  /** Per CPU count: median and p99 wall time, and median simulated time (µs). */
  points: { cpus: number; pendingCpus: number; medianUs: number; p99Us: number; simUs: number }[];
}

/** The `format` of `bench drain --json` (docs/schemas/bench-drain.schema.json). */
export const BENCH_DRAIN_FORMAT = 'foliorace-bench-drain/1';

export interface DrainBenchReport {
  format: typeof BENCH_DRAIN_FORMAT;
  bench: 'drain';
  kernel: string;
  patches: string[];
  /** The patch file on top of the profile (null: none). */
  patchFile: { name: string; path: string; hash: string } | null;
  host: { cores: number; node: string };
  options: Omit<DrainBenchOptions, 'kernel' | 'perCpu'> & { perCpu: number };
  /** Worker start-up per bench machine, apart from every measurement. */
  startup: Startup[];
  cost: CostRow[];
  /** Median wall time per call against CPU count, one line per operation, fill and load (largest batch). */
  series: Series[];
  piggyback: PiggybackRow[];
  gupPinThroughput: GupRow[];
  elapsedMs: number;
}

export type Progress = (done: number, total: number, what: string) => void;

/** The cost measurements on one machine: every batch, fill and load (busy only where someone is pending). */
function costPlan(o: DrainBenchOptions): { op: CostOp; batch: number; fill: Fill; load: Load }[] {
  const plan: { op: CostOp; batch: number; fill: Fill; load: Load }[] = [];
  for (const batch of o.batches) {
    for (const fill of o.fills) {
      for (const op of ['drain', 'copy'] as const) plan.push({ op, batch, fill, load: 'quiet' });
      for (const load of o.loads) if (load === 'quiet' || fill !== 'none') plan.push({ op: 'drain-all', batch, fill, load });
    }
  }
  return plan;
}

/** Runs the experiments; `signal` (SIGINT, SIGTERM) ends them early, with the figures measured so far. */
export async function runDrainBench(o: DrainBenchOptions, progress: Progress = () => {}, signal?: AbortSignal): Promise<DrainBenchReport> {
  const t0 = performance.now();
  const maxBatch = Math.max(...o.batches);
  const perCpu = o.perCpu ?? Math.min(...o.batches) - 1;
  const plan = o.experiments.includes('cost') ? costPlan(o) : [];
  const piggy = o.experiments.includes('piggyback');
  const policies = [...GUP_POLICIES, ...(o.ownGup ? [ownGupPolicy(o.kernel)] : [])];
  const total = o.cpus.length * (plan.length + (piggy ? 1 : 0)) + (o.experiments.includes('gup') ? policies.length : 0);
  let done = 0;
  const step = (what: string): void => progress(++done, total, what);
  const report: DrainBenchReport = {
    format: BENCH_DRAIN_FORMAT, bench: 'drain', kernel: o.kernel.kernel,
    patches: Object.keys(o.kernel.patches).filter((p) => o.kernel.patches[p]),
    patchFile: o.kernel.patch && { name: o.kernel.patch.name, path: o.kernel.patch.path, hash: o.kernel.patch.hash },
    host: { cores: availableParallelism(), node: process.version },
    options: { ...o, perCpu }, startup: [], cost: [], series: [], piggyback: [], gupPinThroughput: [], elapsedMs: 0,
  };
  for (const cpus of plan.length > 0 || piggy ? o.cpus : []) {
    const bm = await BenchMachine.start(drainMachine(drainMachineConfig(cpus, maxBatch)), signal);
    if (!bm) break;
    report.startup.push(bm.startup);
    try {
      for (const p of plan) {
        if (signal?.aborted) break;
        const row = await unlessAborted(measureCost(bm, o.kernel, p.op, p.batch, p.fill, perCpu, p.load, o.reps), signal);
        if (row === null) break;
        report.cost.push(row);
        step(`${cpus} CPUs: ${p.op}, batch ${p.batch}, fill ${p.fill}, ${p.load}`);
      }
      if (piggy && !signal?.aborted) {
        const row = await unlessAborted(measurePiggyback(bm, o.kernel, maxBatch, perCpu, o.reps), signal);
        if (row !== null) report.piggyback.push(row);
        step(`${cpus} CPUs: every CPU calls lru_add_drain_all()`);
      }
    } finally {
      await bm.stop();
    }
  }
  report.series = seriesOf(report.cost, maxBatch);
  const gup = o.experiments.includes('gup') && !signal?.aborted
    ? await BenchMachine.start(gupMachine(gupMachineConfig(o.gupCpus, o.gupPages, maxBatch)), signal) : null;
  if (gup) {
    const bm = gup;
    report.startup.push(bm.startup);
    try {
      for (const policy of policies) {
        if (signal?.aborted) break;
        const row = await unlessAborted(measureGup(bm, policy, o.gupPages, maxBatch, o.gupReps), signal);
        if (row === null) break;
        report.gupPinThroughput.push(row);
        step(`gup-pin-throughput: ${policy.policy}`);
      }
    } finally {
      await bm.stop();
    }
  }
  report.elapsedMs = Math.round(performance.now() - t0);
  return report;
}

/**
 * `work`, or null as soon as `signal` aborts: the measurement in flight is dropped (its workers are
 * stopped by the caller's bm.stop()), the figures measured before it are kept.
 */
function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T | null> {
  if (!signal) return work;
  if (signal.aborted) return Promise.resolve(null);
  return new Promise<T | null>((resolve, reject) => {
    const onAbort = (): void => resolve(null);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then((v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e: unknown) => { signal.removeEventListener('abort', onAbort); reject(e); });
  });
}

const OP_LABEL: Record<CostOp, string> = { drain: 'lru_add_drain (local)', 'drain-all': 'lru_add_drain_all', copy: 'copy the page' };
const FILL_LABEL: Record<Fill, string> = { none: 'no CPU pending', one: 'one CPU pending', half: 'half the CPUs pending', all: 'every CPU pending' };

/** Cost against CPU count: one series per operation, fill and load, for batch `batch`. */
export function seriesOf(rows: readonly CostRow[], batch: number): Series[] {
  const out = new Map<string, Series>();
  for (const r of rows) {
    if (r.batch !== batch) continue;
    const name = `${OP_LABEL[r.op]}, ${FILL_LABEL[r.fill]}${r.op === 'drain-all' ? `, ${r.load}` : ''}`;
    let s = out.get(name);
    if (!s) { s = { name, op: r.op, fill: r.fill, load: r.load, batch, points: [] }; out.set(name, s); }
    s.points.push({ cpus: r.cpus, pendingCpus: pendingCpusOf(r.fill, r.cpus), medianUs: r.wallUs.median, p99Us: r.wallUs.p99, simUs: r.simUs.median });
  }
  return [...out.values()];
}
