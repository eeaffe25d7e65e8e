// The kernel's ordering primitives on a scenario variable, the vocabulary of its litmus tests
// (tools/memory-model/litmus-tests/): include/asm-generic/rwonce.h READ_ONCE()/WRITE_ONCE(),
// include/asm-generic/barrier.h smp_load_acquire()/smp_store_release()/smp_mb(). Each access is
// a preemption point; smp_mb() is not (it touches no word: under --memory tso it drains this
// CPU's store buffer, which any schedule could also have done with flush steps before it).
import { Access, load, smp_mb as fence, store, type AccessKind } from '../shm/access.js';
import type { Cpu } from './cpu.js';
import { S, type SiteId } from './sites.js';

function read(cpu: Cpu, variable: number, kind: AccessKind, site: SiteId): number {
  cpu.preempt(site);
  const v = load(cpu, cpu.L.SCN_VARS + variable, kind);
  cpu.trace(site, variable, v);
  return v;
}

function write(cpu: Cpu, variable: number, value: number, kind: AccessKind, site: SiteId): void {
  cpu.preempt(site);
  store(cpu, cpu.L.SCN_VARS + variable, value, kind);
  cpu.trace(site, variable, value);
}

/** include/asm-generic/rwonce.h READ_ONCE() of scenario variable `variable`. */
export function READ_ONCE(cpu: Cpu, variable: number): number {
  return read(cpu, variable, Access.ONCE, S.read_once);
}

/** include/asm-generic/rwonce.h WRITE_ONCE() of scenario variable `variable`. */
export function WRITE_ONCE(cpu: Cpu, variable: number, value: number): void {
  write(cpu, variable, value, Access.ONCE, S.write_once);
}

/** include/asm-generic/barrier.h smp_load_acquire() of scenario variable `variable`. */
export function smp_load_acquire(cpu: Cpu, variable: number): number {
  return read(cpu, variable, Access.ACQUIRE, S.load_acquire);
}

/** include/asm-generic/barrier.h smp_store_release() of scenario variable `variable`. */
export function smp_store_release(cpu: Cpu, variable: number, value: number): void {
  write(cpu, variable, value, Access.RELEASE, S.store_release);
}

/** include/asm-generic/barrier.h smp_mb(): under --memory tso this CPU's store buffer drains. */
export function smp_mb(cpu: Cpu): void {
  fence(cpu);
  cpu.trace(S.smp_mb, -1, 0);
}
