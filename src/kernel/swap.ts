// Models mm/swap.c: the per-CPU LRU batches (cpu_fbatches), their drains, and the folio release
// path. Default shape v6.10; v6.11's clear-PG_lru-at-enqueue (33dfe9204f29) and its v6.12
// refinement are switches (profile.ts). One lruvec; small folios only (stubs.ts).
import { Access, load, smp_mb, store } from '../shm/access.js';
import { Batch, BenchStat, Ctrl, type BatchId, FOLIO_STRIDE } from '../shm/layout.js';
import { statAdd } from './bench-stat.js';
import { simCharge, SimCost } from './sim-time.js';
import type { Cpu } from './cpu.js';
import { local_lock, local_unlock, mutex_lock, mutex_unlock, spin_lock, spin_unlock } from './locking.js';
import { lruvec_add_folio, lruvec_add_folio_tail, lruvec_del_folio } from './mm_inline.js';
import { need_mlock_drain } from './mlock.js';
import { patchable } from './patchable.js';
import { free_folio } from './page_alloc.js';
import { folio_clear, folio_flags, folio_set, folio_test, folio_test_clear, has, Pg } from './page-flags.js';
import { folio_batch_add, folio_batch_count, folio_batch_reinit, folio_batch_slot, SLOT_FOLIO } from './pagevec.js';
import { folio_get, folio_ref_sub_and_test } from './page_ref.js';
import { S } from './sites.js';
import { flush_work, queue_work_on } from './workqueue.js';

/** The lruvec's lru_lock word. */
export function lru_lock_addr(cpu: Cpu): number {
  return cpu.L.CTRL + Ctrl.LRU_LOCK;
}

/** include/linux/mm.h folio_put() with mm/swap.c __folio_put(): the last put takes it off the LRU and frees it. */
export function folio_put(cpu: Cpu, folio: number): void {
  if (folio_ref_sub_and_test(cpu, folio, 1)) __folio_put(cpu, folio);
}

/** include/linux/mm.h folio_put_refs(): drop `refs` references at once; the last put frees the folio. */
export function folio_put_refs(cpu: Cpu, folio: number, refs: number): void {
  if (folio_ref_sub_and_test(cpu, folio, refs)) __folio_put(cpu, folio);
}

/** mm/swap.c __folio_put() → page_cache_release(): remove from the LRU under lru_lock, then free. */
function __folio_put(cpu: Cpu, folio: number): void {
  if (folio_test(cpu, folio, Pg.lru)) {
    spin_lock(cpu, lru_lock_addr(cpu));
    lruvec_del_folio(cpu, folio);
    // __folio_clear_lru_flags()
    folio_clear(cpu, folio, Pg.lru);
    folio_clear(cpu, folio, Pg.active);
    folio_clear(cpu, folio, Pg.unevictable);
    spin_unlock(cpu, lru_lock_addr(cpu));
  }
  free_folio(cpu, folio);
}

/** mm/swap.c lru_add_fn() (v6.10; lru_add() from v6.12). */
function lru_add(cpu: Cpu, folio: number): void {
  folio_test_clear(cpu, folio, Pg.unevictable); // the old value only feeds vm event counters
  if (folio_test(cpu, folio, Pg.mlocked)) {
    folio_clear(cpu, folio, Pg.active);
    folio_set(cpu, folio, Pg.unevictable);
  }
  lruvec_add_folio(cpu, folio);
}

/** mm/swap.c folio_activate_fn() (lru_activate() from v6.12). */
function lru_activate(cpu: Cpu, folio: number): void {
  const flags = folio_flags(cpu, folio);
  if (has(flags, Pg.active) || has(flags, Pg.unevictable)) return;
  lruvec_del_folio(cpu, folio);
  folio_set(cpu, folio, Pg.active);
  lruvec_add_folio(cpu, folio);
}

/** mm/swap.c lru_deactivate_fn() (classic LRU: only active folios move). */
function lru_deactivate(cpu: Cpu, folio: number): void {
  const flags = folio_flags(cpu, folio);
  if (has(flags, Pg.unevictable) || !has(flags, Pg.active)) return;
  lruvec_del_folio(cpu, folio);
  folio_clear(cpu, folio, Pg.active);
  folio_clear(cpu, folio, Pg.referenced);
  lruvec_add_folio(cpu, folio);
}

/** mm/swap.c lru_deactivate_file_fn(): clean folios go to the inactive tail, others get PG_reclaim. */
function lru_deactivate_file(cpu: Cpu, folio: number): void {
  const flags = folio_flags(cpu, folio);
  if (has(flags, Pg.unevictable)) return;
  if (load(cpu, cpu.L.FOLIO_MAPCOUNT + folio * FOLIO_STRIDE) > 0) return; // folio_mapped()
  lruvec_del_folio(cpu, folio);
  folio_clear(cpu, folio, Pg.active);
  folio_clear(cpu, folio, Pg.referenced);
  if (folio_test(cpu, folio, Pg.writeback) || folio_test(cpu, folio, Pg.dirty)) {
    lruvec_add_folio(cpu, folio);
    folio_set(cpu, folio, Pg.reclaim);
  } else {
    lruvec_add_folio_tail(cpu, folio);
  }
}

/** mm/swap.c lru_lazyfree_fn(): a clean anon folio loses PG_swapbacked and joins the inactive file list. */
export function lru_lazyfree(cpu: Cpu, folio: number): void {
  const flags = folio_flags(cpu, folio);
  if (!has(flags, Pg.anon) || !has(flags, Pg.swapbacked) || has(flags, Pg.swapcache) ||
      has(flags, Pg.unevictable)) return;
  lruvec_del_folio(cpu, folio);
  folio_clear(cpu, folio, Pg.active);
  folio_clear(cpu, folio, Pg.referenced);
  folio_clear(cpu, folio, Pg.swapbacked);
  lruvec_add_folio(cpu, folio);
}

/** mm/swap.c lru_move_tail_fn(). */
function lru_move_tail(cpu: Cpu, folio: number): void {
  if (folio_test(cpu, folio, Pg.unevictable)) return;
  lruvec_del_folio(cpu, folio);
  folio_clear(cpu, folio, Pg.active);
  lruvec_add_folio_tail(cpu, folio);
}

const MOVE_FN = [lru_add, lru_move_tail, lru_deactivate_file, lru_deactivate, lru_lazyfree, lru_activate];

/**
 * mm/swap.c folio_batch_move_lru() (v6.10): apply the batch's move to each folio under lru_lock,
 * then drop every batch reference, moved or skipped. Runs on the owning CPU inside its local_lock.
 * Returns how many folios it moved (the kernel's returns nothing; the bench counts them).
 */
export function folio_batch_move_lru(cpu: Cpu, c: number, b: BatchId): number {
  const move = MOVE_FN[b];
  if (move === undefined) throw new Error(`model bug: folio_batch_move_lru on batch ${b}`);
  const nr = folio_batch_count(cpu, c, b);
  const lock = lru_lock_addr(cpu);
  let locked = false;
  let moved = 0; // observation only: returned for the bench counters (bench-stat.ts)
  for (let i = 0; i < nr; i++) {
    const folio = folio_batch_slot(cpu, c, b, i) & SLOT_FOLIO;
    simCharge(cpu, SimCost.BATCH_FOLIO); // observation only (sim-time.ts)
    if (!patchable.folio_batch_move_lru_claim(cpu, folio, b)) {
      cpu.trace(S.folio_batch_move_lru_skip, folio, b);
      continue;
    }
    if (!locked) { spin_lock(cpu, lock); locked = true; }
    move(cpu, folio);
    folio_set(cpu, folio, Pg.lru);
    simCharge(cpu, SimCost.LRU_MOVE);
    moved++;
  }
  if (locked) spin_unlock(cpu, lock);
  folios_put(cpu, c, b, nr);
  return moved;
}

/**
 * mm/swap.c folio_batch_move_lru()'s per-folio test (v6.10, "block memcg migration while the folio
 * moves between lru"): whether this drain owns `folio` of batch `b` now. Family D (≤6.10, ≥6.17):
 * a non-add move owns the folio only if it wins PG_lru now; losing means someone isolated it or
 * another CPU's drain is moving it. Family E (6.11–6.16) cleared PG_lru at enqueue: it owns it.
 */
export function folio_batch_move_lru_claim(cpu: Cpu, folio: number, b: BatchId): boolean {
  return b === Batch.lru_add || cpu.k.lruClearAtEnqueue || folio_test_clear(cpu, folio, Pg.lru);
}

/** mm/swap.c folios_put(): drop each batch slot's reference, then empty the batch. */
export function folios_put(cpu: Cpu, c: number, b: BatchId, nr: number): void {
  for (let i = 0; i < nr; i++) folio_put(cpu, folio_batch_slot(cpu, c, b, i) & SLOT_FOLIO);
  folio_batch_reinit(cpu, c, b);
}

/** mm/swap.c lru_cache_disabled(). */
export function lru_cache_disabled(cpu: Cpu): boolean {
  return load(cpu, cpu.L.CTRL + Ctrl.LRU_DISABLE_COUNT) !== 0;
}

/**
 * mm/swap.c folio_batch_add_and_move() with the enqueue side of the v6.11 switch: returns whether
 * the folio was queued. `onLru`: the operation moves a folio that is on an LRU list (every batch
 * but lru_add); under 6.11 it must win PG_lru first (v6.12 takes the reference only after that).
 */
export function folio_batch_add_and_move(cpu: Cpu, folio: number, b: BatchId, onLru: boolean): boolean {
  if (onLru && cpu.k.lruClearAtEnqueue) {
    if (cpu.k.refAfterLruTest) {
      if (!folio_test_clear(cpu, folio, Pg.lru)) return false;
      folio_get(cpu, folio);
    } else {
      folio_get(cpu, folio);
      if (!folio_test_clear(cpu, folio, Pg.lru)) { folio_put(cpu, folio); return false; }
    }
  } else {
    folio_get(cpu, folio);
  }
  local_lock(cpu);
  // Flush rules: batch full, large folio (never: small folios only), lru_cache_disabled().
  if (folio_batch_add(cpu, b, folio) === 0 || lru_cache_disabled(cpu)) patchable.folio_batch_move_lru(cpu, cpu.id, b);
  local_unlock(cpu);
  return true;
}

/** Family D enqueue ops also require PG_lru at entry (v6.10; again from v6.17). */
function needsLruAtEntry(cpu: Cpu, folio: number): boolean {
  return !cpu.k.lruClearAtEnqueue && !folio_test(cpu, folio, Pg.lru);
}

/** mm/swap.c folio_add_lru(): queue a new (¬PG_lru) folio in this CPU's lru_add batch. */
export function folio_add_lru(cpu: Cpu, folio: number): void {
  const flags = folio_flags(cpu, folio);
  if (has(flags, Pg.lru)) throw new Error(`model bug: folio_add_lru(f${folio}) of a folio with PG_lru`);
  patchable.folio_batch_add_and_move(cpu, folio, Batch.lru_add, false);
}

/** mm/swap.c folio_activate() (SMP): queue for the active list unless already active/unevictable. */
export function folio_activate(cpu: Cpu, folio: number): boolean {
  if (needsLruAtEntry(cpu, folio)) return false;
  if (folio_test(cpu, folio, Pg.active) || folio_test(cpu, folio, Pg.unevictable)) return false;
  return patchable.folio_batch_add_and_move(cpu, folio, Batch.lru_activate, true);
}

/** mm/swap.c folio_deactivate() (MADV_COLD): classic LRU moves only active folios. */
export function folio_deactivate(cpu: Cpu, folio: number): boolean {
  if (needsLruAtEntry(cpu, folio)) return false;
  if (folio_test(cpu, folio, Pg.unevictable) || !folio_test(cpu, folio, Pg.active)) return false;
  return patchable.folio_batch_add_and_move(cpu, folio, Batch.lru_deactivate, true);
}

/** mm/swap.c deactivate_file_folio(). */
export function deactivate_file_folio(cpu: Cpu, folio: number): boolean {
  if (folio_test(cpu, folio, Pg.unevictable)) return false;
  // v6.10 takes the reference without a PG_lru test; v6.17 tests it first.
  if (cpu.k.deactivateFileTestsLru && needsLruAtEntry(cpu, folio)) return false;
  return patchable.folio_batch_add_and_move(cpu, folio, Batch.lru_deactivate_file, true);
}

/** mm/swap.c folio_mark_lazyfree() (MADV_FREE). */
export function folio_mark_lazyfree(cpu: Cpu, folio: number): boolean {
  if (needsLruAtEntry(cpu, folio)) return false;
  const flags = folio_flags(cpu, folio);
  if (!has(flags, Pg.anon) || !has(flags, Pg.swapbacked) || has(flags, Pg.swapcache) ||
      has(flags, Pg.unevictable)) return false;
  return patchable.folio_batch_add_and_move(cpu, folio, Batch.lru_lazyfree, true);
}

/** mm/swap.c folio_rotate_reclaimable() (writeback completion; lru_rotate / lru_move_tail batch). */
export function folio_rotate_reclaimable(cpu: Cpu, folio: number): boolean {
  if (needsLruAtEntry(cpu, folio)) return false;
  const flags = folio_flags(cpu, folio);
  if (has(flags, Pg.locked) || has(flags, Pg.dirty) || has(flags, Pg.unevictable)) return false;
  return patchable.folio_batch_add_and_move(cpu, folio, Batch.lru_move_tail, true);
}

/** mm/swap.c __lru_cache_activate_folio(): mark active a folio still in *this* CPU's lru_add batch. */
function __lru_cache_activate_folio(cpu: Cpu, folio: number): void {
  local_lock(cpu);
  for (let i = folio_batch_count(cpu, cpu.id, Batch.lru_add) - 1; i >= 0; i--) {
    if ((folio_batch_slot(cpu, cpu.id, Batch.lru_add, i) & SLOT_FOLIO) === folio) {
      folio_set(cpu, folio, Pg.active);
      break;
    }
  }
  local_unlock(cpu);
}

/** mm/swap.c folio_mark_accessed() (classic LRU): inactive,unref → inactive,ref → active. */
export function folio_mark_accessed(cpu: Cpu, folio: number): void {
  if (!folio_test(cpu, folio, Pg.referenced)) {
    folio_set(cpu, folio, Pg.referenced);
  } else if (folio_test(cpu, folio, Pg.unevictable)) {
    // on LRU_UNEVICTABLE: nothing to do
  } else if (!folio_test(cpu, folio, Pg.active)) {
    if (folio_test(cpu, folio, Pg.lru)) patchable.folio_activate(cpu, folio);
    else __lru_cache_activate_folio(cpu, folio);
    folio_clear(cpu, folio, Pg.referenced);
  }
}

/** mm/swap.c lru_add_drain_cpu(): flush every batch of CPU `c` (itself, or a dead CPU). */
export function lru_add_drain_cpu(cpu: Cpu, c: number): void {
  for (let b = 0 as BatchId; b < Batch.mlock; b = (b + 1) as BatchId) {
    if (folio_batch_count(cpu, c, b) > 0) statAdd(cpu, BenchStat.FOLIOS_MOVED, patchable.folio_batch_move_lru(cpu, c, b));
  }
}

/** mm/swap.c lru_add_drain(): this CPU's batches, then its mlock batch. */
export function lru_add_drain(cpu: Cpu): void {
  cpu.trace(S.lru_add_drain, -1, cpu.id);
  statAdd(cpu, BenchStat.LRU_ADD_DRAIN_CALLS);
  local_lock(cpu);
  patchable.lru_add_drain_cpu(cpu, cpu.id);
  local_unlock(cpu);
  patchable.mlock_drain_local(cpu);
}

/** mm/swap.c lru_add_drain_per_cpu(): the body of the drain work queued by lru_add_drain_all(). */
export function lru_add_drain_per_cpu(cpu: Cpu): void {
  local_lock(cpu);
  patchable.lru_add_drain_cpu(cpu, cpu.id);
  local_unlock(cpu);
  patchable.mlock_drain_local(cpu);
}

/** mm/swap.c cpu_needs_drain(): racy reads of CPU `c`'s batch counts. */
export function cpu_needs_drain(cpu: Cpu, c: number): boolean {
  cpu.preempt(S.cpu_needs_drain);
  // observation only: the batch counts are read from CPU c's cache lines (their misses overlap)
  simCharge(cpu, c === cpu.id ? SimCost.ATOMIC : SimCost.LINE_REMOTE);
  for (let b = 0 as BatchId; b < Batch.mlock; b = (b + 1) as BatchId) {
    if (folio_batch_count(cpu, c, b) > 0) return true;
  }
  return need_mlock_drain(cpu, c);
}

/** mm/swap.c lru_drain_gen: how many lru_add_drain_all() drains have started. */
export function lru_drain_gen(cpu: Cpu): number {
  return load(cpu, cpu.L.CTRL + Ctrl.LRU_DRAIN_GEN);
}

/**
 * mm/swap.c __lru_add_drain_all() (v6.10): callers serialise on a mutex; a caller that finds the
 * generation moved since it arrived relies on the drain that moved it; CPUs whose batches are
 * empty get no work. `drainAllLocalFirst` models Hugh Dickins' 2025 patch 7/7.
 */
export function lru_add_drain_all(cpu: Cpu): void {
  const { L } = cpu;
  const gen = L.CTRL + Ctrl.LRU_DRAIN_GEN;
  cpu.preempt(S.lru_add_drain_all);
  smp_mb(cpu); // mm/swap.c (v6.10) __lru_add_drain_all(): this CPU's batch counts before the generation
  const thisGen = load(cpu, gen, Access.ACQUIRE); // smp_load_acquire(&lru_drain_gen)
  cpu.trace(S.lru_add_drain_all, -1, thisGen);
  if (cpu.k.drainAllLocalFirst) patchable.lru_add_drain(cpu);
  mutex_lock(cpu, L.CTRL + Ctrl.DRAIN_ALL_MUTEX);
  cpu.preempt(S.lru_add_drain_all_gen);
  const nowGen = load(cpu, gen);
  if (thisGen !== nowGen) {
    cpu.trace(S.lru_add_drain_all_piggyback, -1, thisGen);
    statAdd(cpu, BenchStat.DRAIN_ALL_SKIPPED);
    mutex_unlock(cpu, L.CTRL + Ctrl.DRAIN_ALL_MUTEX);
    return;
  }
  store(cpu, gen, nowGen + 1); // WRITE_ONCE(lru_drain_gen, lru_drain_gen + 1), under the mutex
  smp_mb(cpu); // mm/swap.c (v6.10): the new generation before the batch counts (pairs with the acquire above)
  const hasWork: number[] = []; // the kernel's static cpumask has_work, only touched under the mutex
  for (let c = 0; c < cpu.ncpus; c++) {
    if (patchable.cpu_needs_drain(cpu, c)) {
      queue_work_on(cpu, c);
      hasWork.push(c);
    }
  }
  for (const c of hasWork) flush_work(cpu, c);
  mutex_unlock(cpu, L.CTRL + Ctrl.DRAIN_ALL_MUTEX);
}
