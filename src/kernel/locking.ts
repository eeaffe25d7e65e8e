// Models the lock primitives the mm paths use: spinlocks (kernel/locking/spinlock.c), local_lock
// (include/linux/local_lock.h, !PREEMPT_RT), mutexes (kernel/locking/mutex.c) and the folio lock
// (mm/filemap.c). Lock words hold 0 when free and the holder's CPU + 1 when held.
import { Access, compareExchange, fetchAnd, fetchOr, store } from '../shm/access.js';
import { BenchStat, FOLIO_STRIDE } from '../shm/layout.js';
import { statClock, statLockAcquired, statLockReleased, statSince } from './bench-stat.js';
import { simLockAcquired, simLockReleased } from './sim-time.js';
import type { Cpu } from './cpu.js';
import { Pg } from './page-flags.js';
import { S, type SiteId } from './sites.js';

/**
 * Takes lock word `addr` (0 free, holder + 1 held), waiting on it as `waitSite` if it is held.
 * Commutation: a failed CAS changes nothing, so blocking without another preemption point loses
 * no interleaving; the holder's unlock is the next event that matters to the waiter.
 */
function lock_word(cpu: Cpu, addr: number, sleeping: boolean, waitSite: SiteId): void {
  const me = cpu.id + 1;
  for (;;) {
    const held = compareExchange(cpu, addr, 0, me, Access.RMW_ACQUIRE); // arch_spin_lock: an acquiring atomic
    if (held === 0) { simLockAcquired(cpu, addr, sleeping); return; }
    if (held === me) throw new Error(`model bug: CPU${cpu.id} takes a lock it already holds (word ${addr})`);
    cpu.contended();
    cpu.block(addr, held, sleeping, waitSite);
  }
}

/** Releases lock word `addr` and wakes its waiters. */
function unlock_word(cpu: Cpu, addr: number): void {
  simLockReleased(cpu, addr);
  store(cpu, addr, 0, Access.RELEASE); // arch_spin_unlock: a release store
  cpu.wake(addr);
}

/** include/linux/spinlock.h spin_lock(): disables preemption, then spins (no per-CPU work runs). */
export function spin_lock(cpu: Cpu, addr: number): void {
  cpu.preempt(S.spin_lock);
  cpu.preemptCount++;
  lock_word(cpu, addr, false, S.spin_lock_wait);
  statLockAcquired(cpu, addr);
  cpu.trace(S.spin_lock, -1, addr);
}

/** include/linux/spinlock.h spin_unlock(). */
export function spin_unlock(cpu: Cpu, addr: number): void {
  cpu.preempt(S.spin_unlock);
  statLockReleased(cpu, addr);
  unlock_word(cpu, addr);
  cpu.preemptCount--;
  cpu.trace(S.spin_unlock, -1, addr);
}

/**
 * include/linux/local_lock.h local_lock() on !PREEMPT_RT: preempt_disable(). Only this CPU's
 * preempt count changes, so no shared word is touched and no preemption point is needed: nothing
 * another CPU could observe happens here (it commutes with every other CPU's step).
 */
export function local_lock(cpu: Cpu): void {
  cpu.preemptCount++;
}

/** include/linux/local_lock.h local_unlock(). */
export function local_unlock(cpu: Cpu): void {
  cpu.preemptCount--;
}

/** kernel/locking/mutex.c mutex_lock(): a sleeping lock; while asleep the CPU runs its work. */
export function mutex_lock(cpu: Cpu, addr: number): void {
  cpu.preempt(S.mutex_lock);
  const t0 = statClock(cpu);
  lock_word(cpu, addr, true, S.mutex_wait);
  statSince(cpu, BenchStat.WAIT_NS, t0);
  cpu.trace(S.mutex_lock, -1, addr);
}

/** kernel/locking/mutex.c mutex_unlock(). */
export function mutex_unlock(cpu: Cpu, addr: number): void {
  cpu.preempt(S.mutex_unlock);
  unlock_word(cpu, addr);
  cpu.trace(S.mutex_unlock, -1, addr);
}

/** mm/filemap.c folio_lock(): sleeps until PG_locked is ours. */
export function folio_lock(cpu: Cpu, folio: number): void {
  cpu.preempt(S.folio_lock);
  const at = cpu.L.FOLIO_FLAGS + folio * FOLIO_STRIDE;
  const bit = 1 << Pg.locked;
  for (;;) {
    const old = fetchOr(cpu, at, bit, Access.RMW_ACQUIRE); // test_and_set_bit_lock
    if ((old & bit) === 0) break;
    cpu.contended();
    cpu.block(at, old | bit, true, S.folio_lock_wait);
  }
  cpu.trace(S.folio_lock, folio, 0);
}

/** include/linux/pagemap.h folio_trylock(). */
export function folio_trylock(cpu: Cpu, folio: number): boolean {
  cpu.preempt(S.folio_trylock);
  const bit = 1 << Pg.locked;
  const ok = (fetchOr(cpu, cpu.L.FOLIO_FLAGS + folio * FOLIO_STRIDE, bit, Access.RMW_ACQUIRE) & bit) === 0; // test_and_set_bit_lock
  cpu.trace(ok ? S.folio_trylock : S.folio_trylock_failed, folio, 0);
  return ok;
}

/** mm/filemap.c folio_unlock(). */
export function folio_unlock(cpu: Cpu, folio: number): void {
  cpu.preempt(S.folio_unlock);
  const at = cpu.L.FOLIO_FLAGS + folio * FOLIO_STRIDE;
  fetchAnd(cpu, at, ~(1 << Pg.locked), Access.RMW_RELEASE); // clear_bit_unlock
  cpu.wake(at);
  cpu.trace(S.folio_unlock, folio, 0);
}
