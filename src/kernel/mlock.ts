// Models mm/mlock.c (v6.10): the per-CPU mlock_fbatch (2fbb0c10d1e8, v5.18, switch mlock-batch;
// without it the v5.17 forms in mlock-isolate.ts), and the VM_LOCKED vma that feeds it (one
// anon vma per mm: its vm_flags word is VM_FLAGS[mm]; mlock_fixup() sets it, faults read it). Its entries carry a tag (LRU_FOLIO: mlock a
// folio already on the LRU; NEW_FOLIO: a new folio faulted into a VM_LOCKED vma; none: munlock).
// Its processing does its own PG_lru test-and-clear, so it never cleared PG_lru at enqueue, not
// even in 6.11–6.16: the gap Will Deacon's pKVM pins fell into (KERNEL.md §3.4).
// mlock_count is not modelled (stubs.ts); the batch has its own local_lock in the kernel, which on
// !PREEMPT_RT is the same preempt_disable() as cpu_fbatches.lock.
import { fetchOr, load } from '../shm/access.js';
import { Batch } from '../shm/layout.js';
import type { Cpu } from './cpu.js';
import { local_lock, local_unlock, spin_lock, spin_unlock } from './locking.js';
import { lru_cache_add_inactive_or_unevictable, mlock_vma_page, munlock_vma_page } from './mlock-isolate.js';
import { lruvec_add_folio, lruvec_del_folio } from './mm_inline.js';
import { folio_clear, folio_flags, folio_set, folio_test_clear, folio_test_set, has, Pg } from './page-flags.js';
import { folio_batch_add, folio_batch_count, folio_batch_slot, SLOT_FOLIO, SLOT_TAG_SHIFT } from './pagevec.js';
import { folio_get } from './page_ref.js';
import { pte_addr, pte_folio, pte_lockptr, pte_present } from './pgtable.js';
import { folios_put, lru_cache_disabled, lru_lock_addr } from './swap.js';
import { patchable } from './patchable.js';

const LRU_FOLIO = 1;
const NEW_FOLIO = 2;

/** include/linux/swap.h folio_evictable() for anon folios: not mlocked. */
export function folio_evictable(cpu: Cpu, folio: number): boolean {
  return !has(folio_flags(cpu, folio), Pg.mlocked);
}

/**
 * lru_lock taken lazily, as folio_lruvec_relock_irq() does: only once a folio of the batch has
 * won PG_lru (one lruvec, so it is held from then on to the end of the batch).
 */
interface Relock { locked: boolean }

function relock(cpu: Cpu, r: Relock): void {
  if (!r.locked) { spin_lock(cpu, lru_lock_addr(cpu)); r.locked = true; }
}

/** mm/mlock.c __mlock_folio(): move an LRU folio to the unevictable list. */
function __mlock_folio(cpu: Cpu, folio: number, r: Relock): void {
  if (!folio_test_clear(cpu, folio, Pg.lru)) return; // off LRU: nothing more to do
  relock(cpu, r);
  if (folio_evictable(cpu, folio)) {
    if (has(folio_flags(cpu, folio), Pg.unevictable)) {
      lruvec_del_folio(cpu, folio);
      folio_clear(cpu, folio, Pg.unevictable);
      lruvec_add_folio(cpu, folio);
    }
  } else if (!has(folio_flags(cpu, folio), Pg.unevictable)) {
    lruvec_del_folio(cpu, folio);
    folio_clear(cpu, folio, Pg.active);
    folio_set(cpu, folio, Pg.unevictable);
    lruvec_add_folio(cpu, folio);
  }
  folio_set(cpu, folio, Pg.lru);
}

/** mm/mlock.c __mlock_new_folio(): a new folio goes straight to its list, unevictable if still mlocked. */
function __mlock_new_folio(cpu: Cpu, folio: number, r: Relock): void {
  relock(cpu, r);
  if (!folio_evictable(cpu, folio)) folio_set(cpu, folio, Pg.unevictable);
  lruvec_add_folio(cpu, folio);
  folio_set(cpu, folio, Pg.lru);
}

/**
 * mm/mlock.c __munlock_folio(): PG_mlocked is cleared here, at drain time, not when queued; a
 * folio on the LRU then goes back to an evictable list. (Without mlock_count, every munlock is
 * taken as the last one.)
 */
function __munlock_folio(cpu: Cpu, folio: number, r: Relock): void {
  const isolated = folio_test_clear(cpu, folio, Pg.lru);
  if (isolated) relock(cpu, r);
  folio_test_clear(cpu, folio, Pg.mlocked);
  // folio_evictable() has to be checked after clearing PG_mlocked
  if (isolated && has(folio_flags(cpu, folio), Pg.unevictable) && folio_evictable(cpu, folio)) {
    lruvec_del_folio(cpu, folio);
    folio_clear(cpu, folio, Pg.unevictable);
    lruvec_add_folio(cpu, folio);
  }
  if (isolated) folio_set(cpu, folio, Pg.lru);
}

/** mm/mlock.c mlock_folio_batch(): process CPU `c`'s mlock batch, then drop its refs. */
export function mlock_folio_batch(cpu: Cpu, c: number): void {
  const nr = folio_batch_count(cpu, c, Batch.mlock);
  const r: Relock = { locked: false };
  for (let i = 0; i < nr; i++) {
    const slot = folio_batch_slot(cpu, c, Batch.mlock, i);
    const folio = slot & SLOT_FOLIO;
    const tag = slot >>> SLOT_TAG_SHIFT;
    if (tag === LRU_FOLIO) __mlock_folio(cpu, folio, r);
    else if (tag === NEW_FOLIO) __mlock_new_folio(cpu, folio, r);
    else __munlock_folio(cpu, folio, r);
  }
  if (r.locked) spin_unlock(cpu, lru_lock_addr(cpu));
  folios_put(cpu, c, Batch.mlock, nr);
}

/**
 * The tail of mlock_folio() / mlock_new_folio() / munlock_folio(), inside the mlock batch's
 * local_lock: `mark` sets or tests PG_mlocked first, then the batch reference is taken.
 */
function mlock_batch_add(cpu: Cpu, folio: number, tag: number, mark: (cpu: Cpu, folio: number) => void): void {
  local_lock(cpu);
  mark(cpu, folio);
  folio_get(cpu, folio);
  if (folio_batch_add(cpu, Batch.mlock, folio | (tag << SLOT_TAG_SHIFT)) === 0 || lru_cache_disabled(cpu)) {
    mlock_folio_batch(cpu, cpu.id);
  }
  local_unlock(cpu);
}

const setMlocked = (cpu: Cpu, folio: number): void => folio_set(cpu, folio, Pg.mlocked);
const testSetMlocked = (cpu: Cpu, folio: number): void => { folio_test_set(cpu, folio, Pg.mlocked); };
const leaveMlocked = (): void => {};

/** mm/mlock.c mlock_folio(): mlock a folio that is (or was) on the LRU; ≤5.17 mlock_vma_page(). */
export function mlock_folio(cpu: Cpu, folio: number): void {
  if (cpu.k.mlockBatch) mlock_batch_add(cpu, folio, LRU_FOLIO, testSetMlocked);
  else mlock_vma_page(cpu, folio);
}

/**
 * mm/mlock.c mlock_new_folio(): a new folio faulted into a VM_LOCKED vma (instead of
 * folio_add_lru); ≤5.17 lru_cache_add_inactive_or_unevictable().
 */
export function mlock_new_folio(cpu: Cpu, folio: number): void {
  if (cpu.k.mlockBatch) mlock_batch_add(cpu, folio, NEW_FOLIO, setMlocked);
  else lru_cache_add_inactive_or_unevictable(cpu, folio);
}

/**
 * mm/mlock.c munlock_folio(): queues the folio; __munlock_folio() clears PG_mlocked at drain time.
 * ≤5.17 munlock_vma_page() clears it at once.
 */
export function munlock_folio(cpu: Cpu, folio: number): void {
  if (cpu.k.mlockBatch) mlock_batch_add(cpu, folio, 0, leaveMlocked);
  else munlock_vma_page(cpu, folio);
}

/** mm/mlock.c mlock_drain_local(). */
export function mlock_drain_local(cpu: Cpu): void {
  local_lock(cpu);
  if (folio_batch_count(cpu, cpu.id, Batch.mlock) > 0) mlock_folio_batch(cpu, cpu.id);
  local_unlock(cpu);
}

/** mm/mlock.c need_mlock_drain(). */
export function need_mlock_drain(cpu: Cpu, c: number): boolean {
  return folio_batch_count(cpu, c, Batch.mlock) > 0;
}

// include/linux/mm.h vm_flags bits the model reads (values as the kernel's).
export const VM_LOCKED = 0x00002000;
export const VM_LOCKONFAULT = 0x00080000;

/** Whether the mm's vma is mlocked: (vm_flags & (VM_LOCKED | VM_SPECIAL)) == VM_LOCKED (no VM_SPECIAL vmas here). */
export function vma_locked(cpu: Cpu, mm: number): boolean {
  return (load(cpu, cpu.L.VM_FLAGS + mm) & VM_LOCKED) !== 0;
}

/**
 * mm/internal.h mlock_vma_folio() (v6.10): mapping a small folio into a VM_LOCKED vma mlocks it
 * (≤5.17: the same test before mlock_vma_page(), in the few callers that had it).
 */
export function mlock_vma_folio(cpu: Cpu, folio: number, mm: number): void {
  if (vma_locked(cpu, mm)) patchable.mlock_folio(cpu, folio);
}

/**
 * mm/swap.c folio_add_lru_vma() (v6.10), kept here beside the batch it feeds: a new folio of a
 * VM_LOCKED vma goes to the mlock batch (mlock_new_folio: PG_mlocked now, PG_lru only when the
 * batch is processed), any other to this CPU's lru_add batch.
 */
export function folio_add_lru_vma(cpu: Cpu, folio: number, mm: number): void {
  if (vma_locked(cpu, mm)) patchable.mlock_new_folio(cpu, folio);
  else patchable.folio_add_lru(cpu, folio);
}

/**
 * mm/mlock.c mlock_fixup() for the mm's whole vma (mlock(2), mlock2(MLOCK_ONFAULT)): sets
 * VM_LOCKED; without VM_LOCKONFAULT, mlock_vma_pages_range() → mlock_pte_range() mlocks the
 * pages already present, each through the mlock batch. With MLOCK_ONFAULT only later faults do.
 */
export function mlock_fixup(cpu: Cpu, mm: number, onfault: boolean): void {
  fetchOr(cpu, cpu.L.VM_FLAGS + mm, VM_LOCKED | (onfault ? VM_LOCKONFAULT : 0));
  if (onfault) return;
  const ptl = pte_lockptr(cpu, mm);
  spin_lock(cpu, ptl);
  for (let a = 0; a < cpu.L.config.ptesPerMm; a++) {
    const pte = load(cpu, pte_addr(cpu, mm, a));
    if (pte_present(pte)) patchable.mlock_folio(cpu, pte_folio(pte));
  }
  spin_unlock(cpu, ptl);
}
