// Observation only: the drains GUP decides on, counted and timed for `bench drain --experiment gup`
// (BenchStat.GUP_DRAIN_NS, GUP_DRAIN_ALL_CALLS). In a gup-pin rep the pinning CPU drains only in
// GUP's long-term check, so the bench wraps that CPU's lru_add_drain() and lru_add_drain_all() in
// its run's table: the model counts nothing itself, and a patch that rewrites the check is counted
// as the built-in check is.
import { BenchStat } from '../shm/layout.js';
import type { Cpu } from '../kernel/cpu.js';
import { statAdd, statClock, statSince } from '../kernel/bench-stat.js';
import type { KernelFns } from '../kernel/patchable.js';

/** `table` with its two drains counted into this CPU's BENCH_STAT line. */
export function countingGupDrains(table: KernelFns): KernelFns {
  let depth = 0; // lru_add_drain_all()'s local-first lru_add_drain() is inside its caller's time
  const counted = (drain: (cpu: Cpu) => void, all: boolean) => (cpu: Cpu): void => {
    const t0 = depth++ === 0 ? statClock(cpu) : 0;
    try {
      drain(cpu);
    } finally {
      depth--;
    }
    statSince(cpu, BenchStat.GUP_DRAIN_NS, t0);
    if (all) statAdd(cpu, BenchStat.GUP_DRAIN_ALL_CALLS);
  };
  return { ...table, lru_add_drain: counted(table.lru_add_drain, false), lru_add_drain_all: counted(table.lru_add_drain_all, true) };
}
