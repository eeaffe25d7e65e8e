// Observation only, not kernel state: simulated time. Each modelled primitive charges what it would
// cost a real machine (SimCost: the table and its sources are in docs/bench.md and bench/README.md)
// to the clock of the CPU that runs it; a CPU that waits for something another CPU releases (a lock,
// a work item) moves its clock to that release time first. What the emulator's host does (how many
// cores, how threads are scheduled) changes no charge: only what the model did, and in which order
// the CPUs took a contended lock.
//
// Words: each CPU's clock is its BENCH_STAT SIM_NOW word, owned by that CPU (plain loads and stores;
// others read it only after an Atomics barrier). A lock's release time and last holder sit in the
// SIM_LOCK line of the CTRL line holding the lock word, owned by the lock's holder (written before
// the Atomics release, read after the Atomics acquire). Work items carry their times in SIM_WORK,
// through Atomics. Clocks are int32 nanoseconds: one iteration or bench call is far below 2 s.
import { BenchStat, CPU_STRIDE, SimWork, type Layout } from '../shm/layout.js';
import type { Cpu } from './cpu.js';

/** What each modelled primitive charges, in nanoseconds (sources: docs/bench.md "Simulated time"). */
export const SimCost = {
  /** an uncontended atomic read-modify-write on a line this CPU already holds */
  ATOMIC: 10,
  /** a cache line this CPU must fetch from another CPU's cache (a remote read or write) */
  LINE_REMOTE: 100,
  /** a spinlock handed over: the line moves, and the waiter notices the release */
  LOCK_HANDOFF: 200,
  /** a sleeping waiter woken (mutex, flush_work): wake-up and switch back to the task */
  WAKEUP: 3000,
  /** queue_work_on() on the caller: the pool lock, the work list, the kick of the target CPU */
  QUEUE_WORK: 600,
  /** from queue_work_on() to the kworker running on the target CPU: the IPI (~5.7 µs in Norov's
   *  benchmark, docs/bench.md) and the switch to the kworker */
  KWORKER_WAKE: 8000,
  /** one folio moved between LRU lists under lru_lock (lruvec_del_folio + lruvec_add_folio) */
  LRU_MOVE: 60,
  /** the per-folio rest of folio_batch_move_lru(): the PG_lru test, the move function's checks, folio_put */
  BATCH_FOLIO: 40,
  /** copying one 4 KiB page (the bench's copy-instead-of-drain alternative) */
  COPY_PAGE: 300,
} as const;

const nowAt = (cpu: Cpu): number => cpu.L.BENCH_STAT + cpu.id * CPU_STRIDE + BenchStat.SIM_NOW;

/** This CPU's simulated clock (ns). */
export function simNow(cpu: Cpu): number {
  return cpu.m[nowAt(cpu)]!;
}

/** Sets this CPU's clock: zero when its actor or a bench call starts. */
export function simSet(cpu: Cpu, ns: number): void {
  cpu.m[nowAt(cpu)] = ns | 0;
}

/** Advances this CPU's clock by `ns`. */
export function simCharge(cpu: Cpu, ns: number): void {
  const at = nowAt(cpu);
  cpu.m[at] = (cpu.m[at]! + ns) | 0;
}

/** The SIM_LOCK slot of lock word `addr`, or -1 for a lock outside CTRL (a PTL, a folio lock). */
function lockSlot(L: Layout, addr: number): number {
  const line = addr - L.CTRL;
  return line >= 0 && line < L.sizes.CTRL ? L.SIM_LOCK + (line >> 4) * 2 : -1;
}

/**
 * The lock word `addr` was just taken. The clock moves to the last release if that is later (the
 * CPU would have waited), then pays the acquisition: an atomic on a line it holds, the line from
 * the last holder, a hand-off from a spinning wait, or a wake-up from a sleeping one.
 */
export function simLockAcquired(cpu: Cpu, addr: number, sleeping: boolean): void {
  const slot = lockSlot(cpu.L, addr);
  if (slot < 0) { simCharge(cpu, SimCost.ATOMIC); return; }
  const { m } = cpu;
  const released = m[slot]!, last = m[slot + 1]! - 1;
  const now = simNow(cpu);
  let cost: number = SimCost.ATOMIC;
  if (released > now) cost = sleeping ? SimCost.WAKEUP : SimCost.LOCK_HANDOFF;
  else if (last >= 0 && last !== cpu.id) cost = SimCost.LINE_REMOTE;
  simSet(cpu, Math.max(now, released) + cost);
}

/** The lock word `addr` is about to be released: stamp the release time and the holder. */
export function simLockReleased(cpu: Cpu, addr: number): void {
  const slot = lockSlot(cpu.L, addr);
  simCharge(cpu, SimCost.ATOMIC);
  if (slot < 0) return;
  cpu.m[slot] = simNow(cpu);
  cpu.m[slot + 1] = cpu.id + 1;
}

/** queue_work_on() is queueing drain work on `target`: the caller pays, the work carries the time. */
export function simWorkQueued(cpu: Cpu, target: number): void {
  simCharge(cpu, SimCost.QUEUE_WORK);
  Atomics.store(cpu.m, cpu.L.SIM_WORK + target * CPU_STRIDE + SimWork.QUEUED_AT, simNow(cpu));
}

/** process_one_work() starts: no earlier than the kworker can run after being queued. */
export function simWorkStart(cpu: Cpu): void {
  const queued = Atomics.load(cpu.m, cpu.L.SIM_WORK + cpu.id * CPU_STRIDE + SimWork.QUEUED_AT);
  simSet(cpu, Math.max(simNow(cpu), queued + SimCost.KWORKER_WAKE));
}

/** process_one_work() is done: stamp the completion for flush_work(). */
export function simWorkDone(cpu: Cpu): void {
  Atomics.store(cpu.m, cpu.L.SIM_WORK + cpu.id * CPU_STRIDE + SimWork.DONE_AT, simNow(cpu));
}

/**
 * flush_work() of `target`'s work returned: if the work completed later than this CPU's clock the
 * caller slept until then and is woken; else it only read the work's state from the other CPU.
 */
export function simWorkFlushed(cpu: Cpu, target: number): void {
  const done = Atomics.load(cpu.m, cpu.L.SIM_WORK + target * CPU_STRIDE + SimWork.DONE_AT);
  const now = simNow(cpu);
  if (done > now) simSet(cpu, done + SimCost.WAKEUP);
  else simCharge(cpu, target === cpu.id ? SimCost.ATOMIC : SimCost.LINE_REMOTE);
}

/** Zeroes the stamps, so that the next iteration or rep starts with no release in the past. */
export function simResetStamps(m: Int32Array, L: Layout): void {
  m.fill(0, L.SIM_LOCK, L.SIM_LOCK + L.sizes.SIM_LOCK);
  for (let c = 0; c < L.config.cpus; c++) {
    for (const w of [SimWork.QUEUED_AT, SimWork.DONE_AT]) Atomics.store(m, L.SIM_WORK + c * CPU_STRIDE + w, 0);
  }
}
