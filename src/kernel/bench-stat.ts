// Observation only, not kernel state: the counters `foliorace bench drain` reads ((src/drain-bench)), in
// the spirit of the kernel's vm_event counters and lock_stat. Each CPU counts into its own
// BENCH_STAT line with plain stores (the line is owned by that CPU; the bench reads it after an
// Atomics barrier). Clocks are read only when the machine's static BENCH_TIMED word is set, so an
// ordinary run pays one plain add per counted event and no clock.
import { BenchStat, Ctrl, CPU_STRIDE } from '../shm/layout.js';
import type { Cpu } from './cpu.js';

type StatWord = (typeof BenchStat)[keyof typeof BenchStat];

/** Adds `n` to this CPU's counter `w` (wrapping at 2^31: runs never reset it). */
export function statAdd(cpu: Cpu, w: StatWord, n = 1): void {
  const at = cpu.L.BENCH_STAT + cpu.id * CPU_STRIDE + w;
  cpu.m[at] = (cpu.m[at]! + n) | 0;
}

/** Now in nanoseconds when the machine is timed, else 0 (no clock read). */
export function statClock(cpu: Cpu): number {
  return cpu.m[cpu.L.BENCH_TIMED] === 0 ? 0 : Math.round(performance.now() * 1e6);
}

/** Adds the nanoseconds since `t0` (a statClock() value) to counter `w`; nothing when untimed. */
export function statSince(cpu: Cpu, w: StatWord, t0: number): void {
  if (t0 !== 0) statAdd(cpu, w, Math.round(performance.now() * 1e6) - t0);
}

/** spin_lock() took `addr`: count lru_lock acquisitions and start the hold clock. */
export function statLockAcquired(cpu: Cpu, addr: number): void {
  if (addr !== cpu.L.CTRL + Ctrl.LRU_LOCK) return;
  statAdd(cpu, BenchStat.LRU_LOCK_ACQ);
  // modulo 2^32: a hold is far shorter than 2^31 ns, so the difference at release is exact
  cpu.m[cpu.L.BENCH_STAT + cpu.id * CPU_STRIDE + BenchStat.LRU_LOCK_T0] = statClock(cpu) | 0;
}

/** spin_unlock() is releasing `addr`: add the lru_lock hold time. */
export function statLockReleased(cpu: Cpu, addr: number): void {
  if (addr !== cpu.L.CTRL + Ctrl.LRU_LOCK) return;
  const t0 = cpu.m[cpu.L.BENCH_STAT + cpu.id * CPU_STRIDE + BenchStat.LRU_LOCK_T0]!;
  const now = statClock(cpu);
  if (now !== 0) statAdd(cpu, BenchStat.LRU_LOCK_HOLD_NS, ((now | 0) - t0) | 0);
}
