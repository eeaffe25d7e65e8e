// The rep protocol every bench CPU runs for one measurement. All synchronisation is machine words
// (Ctrl.GEN, BenchSync.FILLED, BenchSync.OP_DONE, Ctrl.ARRIVED), as in cpu/iterate.ts:
//   CPU0 bumps GEN → every CPU zeroes its counters and queues its pending folios (FILLED) → the
//   caller(s) wait for all FILLED, time the operation, count OP_DONE; the others run background
//   traffic or idle (running the drain work queued to them) until every caller is done → every CPU
//   arrives (ARRIVED) → CPU0 reads every CPU's counters (one sample) and restores the population,
//   so that the next rep, and the next measurement, start from it with no work queued anywhere.
// A CPU that waits for anything runs its queued work meanwhile (CpuContext.idleUntil), so a
// drain never waits on a CPU that is itself waiting.
import { availableParallelism } from 'node:os';
import { BenchStat, BenchSync, Ctrl, CPU_STRIDE, type Layout } from '../shm/layout.js';
import { kernelSwitches, resolveProfile } from '../kernel/profile.js';
import { CpuContext } from '../cpu/context.js';
import type { ModelSnapshot } from '../cpu/snapshot.js';
import type { MeasureResult, MeasureSpec, RepSample } from './control.js';
import { simNow, simSet } from '../kernel/sim-time.js';
import { fillBatch, runOp, trafficStep } from './ops.js';
import { countingGupDrains } from './gup-drains.js';
import { installKernelFns, type KernelFns } from '../kernel/patchable.js';

/**
 * The machine's layout with a smaller batch capacity: the FBATCH_SLOT region is sized for the
 * machine's largest batch, and a batch of `batchSize` lays its slots at that stride inside it.
 * Every CPU of a measurement uses the same view, and every rep starts with empty batches.
 */
export function withBatchSize(L: Layout, batchSize: number): Layout {
  if (batchSize > L.config.batchSize) throw new Error(`internal error: batch ${batchSize} > machine batch ${L.config.batchSize}`);
  return Object.freeze({ ...L, config: Object.freeze({ ...L.config, batchSize }) });
}

const isCaller = (spec: MeasureSpec, id: number): boolean => id === 0 || spec.op === 'drain-all-storm';
const isPending = (spec: MeasureSpec, id: number, n: number): boolean => id >= n - spec.pendingCpus;

/**
 * Runs CPU `id`'s side of a measurement under `table` (the model's functions, or a patch's); CPU0
 * returns the rep samples, storm callers their call times.
 */
export function measureOn(m: Int32Array, L0: Layout, id: number, spec: MeasureSpec, snapshot: ModelSnapshot | null,
  table: KernelFns): MeasureResult {
  const L = withBatchSize(L0, spec.batchSize);
  const n = L.config.cpus;
  const ctx = new CpuContext({ m, L, id, k: kernelSwitches(resolveProfile(spec.kernel, spec.patches)), strategy: null, seedHash: 1, jitter: 0 });
  installKernelFns(id === 0 && spec.op === 'gup-pin' ? countingGupDrains(table) : table);
  const sync = (w: number): number => L.BENCH_SYNC + w;
  const callers = spec.op === 'drain-all-storm' ? n : 1;
  const out: MeasureResult = { reps: [], callNs: [], callSimNs: [] };
  let gen = spec.startGen;
  for (let rep = 0; rep < spec.reps; rep++) {
    if (id === 0) startRep(ctx);
    ctx.idleUntil(() => Atomics.load(m, L.CTRL + Ctrl.GEN) !== gen);
    gen = Atomics.load(m, L.CTRL + Ctrl.GEN);
    m.fill(0, L.BENCH_STAT + id * CPU_STRIDE, L.BENCH_STAT + (id + 1) * CPU_STRIDE); // owned by this CPU
    ctx.beginActor(rep, 1);
    if (isPending(spec, id, n)) { ctx.quiet = true; fillBatch(ctx, spec.perCpu); ctx.quiet = false; }
    simSet(ctx, 0); // simulated time starts when every CPU has filled (before FILLED: nothing is queued yet)
    if (Atomics.add(m, sync(BenchSync.FILLED), 1) + 1 === n) ringAll(ctx);
    let pins = null;
    if (isCaller(spec, id)) {
      ctx.idleUntil(() => Atomics.load(m, sync(BenchSync.FILLED)) === n);
      ctx.quiet = false; // idleUntil leaves it set after running work
      const t0 = performance.now();
      const sim0 = simNow(ctx); // 0, unless this CPU's kworker already ran drain work queued by a storm caller
      pins = runOp(ctx, spec.op);
      out.callNs.push(Math.round((performance.now() - t0) * 1e6));
      out.callSimNs.push(simNow(ctx) - sim0);
      if (Atomics.add(m, sync(BenchSync.OP_DONE), 1) + 1 === callers) ringAll(ctx);
    }
    const over = (): boolean => Atomics.load(m, sync(BenchSync.OP_DONE)) === callers;
    if (isBusy(spec, id, n)) backgroundLoad(ctx, spec, over);
    ctx.idleUntil(over);
    ctx.endActor();
    if (id !== 0) continue;
    ctx.idleUntil(() => Atomics.load(m, L.CTRL + Ctrl.ARRIVED) === n);
    out.reps.push(collect(m, L, out.callNs[out.callNs.length - 1]!, out.callSimNs[out.callSimNs.length - 1]!, pins));
    snapshot!.restore(m);
  }
  return out;
}

/**
 * A CPU that is not a caller runs background traffic during the call: those with pending folios
 * on a drain machine, every one on a gup machine. The busy CPUs share about one host core less
 * than the host has (at least one): each sleeps after a step in proportion to how many there are,
 * so that 64 busy simulated CPUs on 2 cores measure the model, not the host's time slices.
 */
function backgroundLoad(ctx: CpuContext, spec: MeasureSpec, over: () => boolean): void {
  const busy = spec.op === 'gup-pin' ? ctx.ncpus - 1 : Math.min(spec.pendingCpus, ctx.ncpus - 1);
  const share = busy / Math.max(1, availableParallelism() - 1);
  const bell = ctx.L.CPU_DOORBELL + ctx.id * CPU_STRIDE;
  for (let i = 0; !over(); i++) {
    const t0 = performance.now();
    trafficStep(ctx, spec.op, i);
    if (share > 1) ctx.sleepOn(bell, Atomics.load(ctx.m, bell), (performance.now() - t0) * (share - 1));
  }
}

const isBusy = (spec: MeasureSpec, id: number, n: number): boolean =>
  spec.busy && !isCaller(spec, id) && (spec.op === 'gup-pin' || isPending(spec, id, n));

/** CPU0: reset the rep's words and start the rep (the population was restored after the last one). */
function startRep(ctx: CpuContext): void {
  const { m, L } = ctx;
  for (const w of [L.CTRL + Ctrl.ARRIVED, L.CTRL + Ctrl.TICKET, L.BENCH_SYNC + BenchSync.FILLED, L.BENCH_SYNC + BenchSync.OP_DONE]) {
    Atomics.store(m, w, 0);
  }
  Atomics.add(m, L.CTRL + Ctrl.GEN, 1);
  ringAll(ctx);
}

function ringAll(ctx: CpuContext): void {
  for (let c = 0; c < ctx.ncpus; c++) if (c !== ctx.id) ctx.ring(c);
}

/** CPU0, after every CPU arrived: the rep's counters summed over the CPUs. */
function collect(m: Int32Array, L: Layout, wallNs: number, simNs: number, pins: { ok: number; failed: number } | null): RepSample {
  const stat = (c: number, w: number): number => Atomics.load(m, L.BENCH_STAT + c * CPU_STRIDE + w);
  const sum = (w: number): number => { let s = 0; for (let c = 0; c < L.config.cpus; c++) s += stat(c, w); return s; };
  const cpus = Array.from({ length: L.config.cpus }, (_, c) => c);
  return {
    wallNs,
    simNs,
    foliosMoved: sum(BenchStat.FOLIOS_MOVED),
    lockAcquisitions: sum(BenchStat.LRU_LOCK_ACQ),
    lockHoldNs: sum(BenchStat.LRU_LOCK_HOLD_NS),
    workQueued: cpus.map((c) => Atomics.load(m, L.WORK_REQ + c * CPU_STRIDE)),
    workRun: cpus.map((c) => stat(c, BenchStat.WORK_RUN)),
    waitNs: sum(BenchStat.WAIT_NS),
    drainsStarted: Atomics.load(m, L.CTRL + Ctrl.LRU_DRAIN_GEN),
    drainAllSkipped: sum(BenchStat.DRAIN_ALL_SKIPPED),
    pinsOk: pins?.ok ?? 0,
    pinsFailed: pins?.failed ?? 0,
    gupDrainNs: stat(0, BenchStat.GUP_DRAIN_NS),
    gupDrainAllCalls: stat(0, BenchStat.GUP_DRAIN_ALL_CALLS),
  };
}
