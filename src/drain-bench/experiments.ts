// The three experiments of `foliorace bench drain`, each on a started bench machine: the cost of
// one drain (local, all CPUs, or copying the page instead), many CPUs draining at once
// (piggybacking on lru_drain_gen), and GUP long-term pin throughput under each drain policy.
import type { RepSample } from './control.js';
import type { BenchMachine } from './machine.js';
import { dist, median, meanPerIndex, type Dist } from './stats.js';
import type { PatchFile } from '../cpu/protocol.js';

export const FILLS = ['none', 'one', 'half', 'all'] as const;
/** How many CPUs have pending folios: none, the last one, the upper half, or every CPU (CPU0 too). */
export type Fill = (typeof FILLS)[number];
export const LOADS = ['quiet', 'busy'] as const;
/** quiet: the other CPUs idle; busy: those with pending folios run activation traffic meanwhile. */
export type Load = (typeof LOADS)[number];
export type CostOp = 'drain' | 'drain-all' | 'copy';

export function pendingCpusOf(fill: Fill, cpus: number): number {
  switch (fill) {
    case 'none': return 0;
    case 'one': return 1;
    case 'half': return Math.ceil(cpus / 2);
    case 'all': return cpus;
  }
}

export interface CostRow {
  op: CostOp;
  cpus: number;
  batch: number;
  fill: Fill;
  pendingCpus: number;
  perCpu: number;
  load: Load;
  reps: number;
  /** Wall time of one call on CPU0 (µs). */
  wallUs: Dist;
  /** Simulated time of that call (µs, kernel/sim-time.ts): independent of the host. */
  simUs: Dist;
  /** Medians over the reps, summed over every CPU. */
  foliosMoved: number;
  lruLockAcquisitions: number;
  lruLockHoldUs: number;
  workQueued: number;
  workRun: number;
  /** Mean per rep, for each CPU. */
  workQueuedPerCpu: number[];
  workRunPerCpu: number[];
  /** Time the caller slept in mutex_lock() and flush_work() (µs). */
  callerWaitUs: Dist;
}

/** Kernel profile the cost experiments run under, with a patch file on top or none. */
export interface Kernel {
  kernel: string;
  patches: Record<string, boolean>;
  patch: PatchFile | null;
}

/** Reps run first and dropped: the first call on fresh workers pays for compiling the model. */
const WARMUP = 1;

async function reps(bm: BenchMachine, spec: Parameters<BenchMachine['measure']>[0]):
  Promise<{ reps: RepSample[]; callNs: number[]; callSimNs: number[] }> {
  const r = await bm.measure({ ...spec, reps: spec.reps + WARMUP });
  // callNs holds each caller's calls in rep order, caller after caller
  const kept = (_: number, i: number): boolean => i % (spec.reps + WARMUP) >= WARMUP;
  return { reps: r.reps.slice(WARMUP), callNs: r.callNs.filter(kept), callSimNs: r.callSimNs.filter(kept) };
}

/** One cost measurement: `op` on CPU0 with `fill` CPUs holding `perCpu` folios each. */
export async function measureCost(bm: BenchMachine, k: Kernel, op: CostOp, batch: number, fill: Fill, perCpu: number,
  load: Load, n: number): Promise<CostRow> {
  const pendingCpus = pendingCpusOf(fill, bm.cpus);
  const r = await reps(bm, { op, ...k, batchSize: batch, pendingCpus, perCpu, busy: load === 'busy', reps: n });
  const s = r.reps;
  const sum = (xs: number[]): number => xs.reduce((a, x) => a + x, 0);
  return {
    op, cpus: bm.cpus, batch, fill, pendingCpus, perCpu, load, reps: s.length,
    wallUs: dist(s.map((x) => x.wallNs), 1000),
    simUs: dist(s.map((x) => x.simNs), 1000),
    foliosMoved: median(s.map((x) => x.foliosMoved)),
    lruLockAcquisitions: median(s.map((x) => x.lockAcquisitions)),
    lruLockHoldUs: Math.round(median(s.map((x) => x.lockHoldNs)) / 100) / 10,
    workQueued: median(s.map((x) => sum(x.workQueued))),
    workRun: median(s.map((x) => sum(x.workRun))),
    workQueuedPerCpu: meanPerIndex(s.map((x) => x.workQueued)),
    workRunPerCpu: meanPerIndex(s.map((x) => x.workRun)),
    callerWaitUs: dist(s.map((x) => x.waitNs), 1000),
  };
}

export interface PiggybackRow {
  cpus: number;
  batch: number;
  /** Every CPU has `perCpu` folios pending and calls lru_add_drain_all() at once. */
  callers: number;
  perCpu: number;
  reps: number;
  /** Medians per rep: drains actually started (lru_drain_gen moved) and calls that skipped theirs. */
  drainsStarted: number;
  callsSkipped: number;
  foliosMoved: number;
  workQueued: number;
  /** Wall time of each call, over every caller and rep (µs). */
  callUs: Dist;
  /** Simulated time of each call (µs). */
  callSimUs: Dist;
  /** Time the callers slept in mutex_lock() and flush_work(), per caller (µs, median over reps). */
  waitPerCallerUs: number;
}

/** Every CPU calls lru_add_drain_all() at once, each with `perCpu` folios pending. */
export async function measurePiggyback(bm: BenchMachine, k: Kernel, batch: number, perCpu: number, n: number): Promise<PiggybackRow> {
  const r = await reps(bm, { op: 'drain-all-storm', ...k, batchSize: batch, pendingCpus: bm.cpus, perCpu, busy: false, reps: n });
  const s = r.reps;
  return {
    cpus: bm.cpus, batch, callers: bm.cpus, perCpu, reps: s.length,
    drainsStarted: median(s.map((x) => x.drainsStarted)),
    callsSkipped: median(s.map((x) => x.drainAllSkipped)),
    foliosMoved: median(s.map((x) => x.foliosMoved)),
    workQueued: median(s.map((x) => x.workQueued.reduce((a, y) => a + y, 0))),
    callUs: dist(r.callNs, 1000),
    callSimUs: dist(r.callSimNs, 1000),
    waitPerCallerUs: Math.round(median(s.map((x) => x.waitNs)) / bm.cpus / 100) / 10,
  };
}

/** A drain policy the gup experiment measures: a profile, its switches, and a patch file or none. */
export interface GupPolicy extends Kernel {
  policy: string;
}

/** The drain policies the profiles offer, as the June 2024 thread weighed them. */
export const GUP_POLICIES: readonly GupPolicy[] = [
  { policy: '6.10: drain all CPUs only if !PG_lru', kernel: '6.10', patches: {}, patch: null },
  { policy: '6.10 + gup-always-drain: drain all CPUs once per call (first proposed fix)', kernel: '6.10',
    patches: { 'gup-always-drain': true }, patch: null },
  { policy: '6.11: batches clear PG_lru at enqueue; drain all if !PG_lru', kernel: '6.11', patches: {}, patch: null },
  { policy: '6.17: drain if refcount unexpected, locally first', kernel: '6.17', patches: {}, patch: null },
  { policy: '7.3: 6.17 counting the pin\'s own refs (fix for always draining)', kernel: '7.3', patches: {}, patch: null },
];

/** The policy of `--kernel`/`--patch` (a patch file's name too), measured after the profiles'. */
export function ownGupPolicy(k: Kernel): GupPolicy {
  const switches = Object.entries(k.patches).map(([n, on]) => `${n}=${on ? 'on' : 'off'}`);
  const label = [k.kernel, ...switches, ...(k.patch ? [`patch file ${k.patch.name}`] : [])].join(' + ');
  return { ...k, policy: `${label} (--kernel/--patch)` };
}

export interface GupRow {
  policy: string;
  kernel: string;
  patches: string[];
  /** The patch file's name (null: none). */
  patchFile: string | null;
  cpus: number;
  pages: number;
  reps: number;
  pins: number;
  failed: number;
  /** Successful long-term pins per second of the pinning CPU's time. */
  pinsPerSecond: number;
  /** Failed pins (-ENOMEM) over attempts. */
  failureRate: number;
  /** lru_add_drain_all() calls GUP made, per attempted pin; the least and most of one rep. */
  drainAllPerPin: number;
  drainAllPerPinRange: [number, number];
  /** Time GUP spent in lru_add_drain()/lru_add_drain_all(): total (ms), per pin (µs), share of the pinning time. */
  drainMs: number;
  drainUsPerPin: number;
  drainShare: number;
  wallMs: number;
}

/** CPU0 pins every page of a gup machine, rep after rep, while every other CPU touches them. */
export async function measureGup(bm: BenchMachine, policy: GupPolicy, pages: number, batch: number,
  n: number): Promise<GupRow> {
  const r = await reps(bm, { op: 'gup-pin', kernel: policy.kernel, patches: { ...policy.patches }, patch: policy.patch, batchSize: batch,
    pendingCpus: 0, perCpu: 0, busy: true, reps: n });
  const sum = (f: (x: RepSample) => number): number => r.reps.reduce((a, x) => a + f(x), 0);
  const pins = sum((x) => x.pinsOk), failed = sum((x) => x.pinsFailed), wallNs = sum((x) => x.wallNs);
  const drainNs = sum((x) => x.gupDrainNs), attempts = pins + failed;
  const round = (x: number, d: number): number => Math.round(x * 10 ** d) / 10 ** d;
  const perPin = r.reps.map((x) => round(x.gupDrainAllCalls / Math.max(1, x.pinsOk + x.pinsFailed), 3));
  return {
    policy: policy.policy, kernel: policy.kernel, patches: Object.keys(policy.patches), patchFile: policy.patch?.name ?? null,
    cpus: bm.cpus, pages, reps: r.reps.length, pins, failed,
    pinsPerSecond: Math.round(pins / (wallNs / 1e9)),
    failureRate: round(failed / Math.max(1, attempts), 4),
    drainAllPerPin: round(sum((x) => x.gupDrainAllCalls) / Math.max(1, attempts), 3),
    drainAllPerPinRange: [Math.min(...perPin), Math.max(...perPin)],
    drainMs: round(drainNs / 1e6, 1),
    drainUsPerPin: round(drainNs / 1000 / Math.max(1, attempts), 1),
    drainShare: round(drainNs / Math.max(1, wallNs), 3),
    wallMs: round(wallNs / 1e6, 1),
  };
}
