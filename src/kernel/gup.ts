// Models mm/gup.c: FOLL_LONGTERM pinning of one small anon page, which must first migrate a folio
// that may not be pinned long-term (CMA). v6.10 shape; the drain decision is per profile: PG_lru
// test (≤6.16), yangge's June 2024 "always drain" proposal, or Hugh Dickins' 2025 refcount test
// with a local drain first (98c6d259319e, a09a8a1fbb37; v6.17).
import { BenchStat, FOLIO_STRIDE } from '../shm/layout.js';
import { statAdd, statClock, statSince } from './bench-stat.js';
import type { Cpu } from './cpu.js';
import { spin_lock, spin_unlock } from './locking.js';
import { EAGAIN, ENOMEM, folio_expected_ref_count, migrate_pages, putback_movable_pages } from './migrate.js';
import { folio_is_longterm_pinnable } from './page_alloc.js';
import { folio_test, Pg } from './page-flags.js';
import { folio_ref_add, folio_ref_count, folio_ref_sub_and_test } from './page_ref.js';
import { is_migration_entry, pte_addr, pte_folio, pte_lockptr, pte_present } from './pgtable.js';
import { S } from './sites.js';
import { folio_mark_accessed, folio_put, lru_add_drain, lru_add_drain_all } from './swap.js';
import { folio_isolate_lru } from './vmscan.js';

/** include/linux/mm.h GUP_PIN_COUNTING_BIAS: what FOLL_PIN adds to a small folio's refcount. */
export const GUP_PIN_COUNTING_BIAS = 1 << 10;
export const EFAULT = -14;
export const FOLL_PIN = 1;
export const FOLL_TOUCH = 4;

/** mm/gup.c try_grab_folio(FOLL_PIN) for a small folio. */
function try_grab_folio_pin(cpu: Cpu, folio: number): void {
  folio_ref_add(cpu, folio, GUP_PIN_COUNTING_BIAS);
  Atomics.add(cpu.m, cpu.L.OBS_PINS + folio * FOLIO_STRIDE, 1);
}

/**
 * mm/gup.c unpin_folio() → gup_put_folio(FOLL_PIN) → folio_put_refs(): the pin's references go; the
 * last one frees the folio, as when a COW fault replaced the pinned page in the page table.
 * Simplified: the bias goes in two steps (all but one, then folio_put()), not one atomic sub.
 */
export function unpin_folio(cpu: Cpu, folio: number): void {
  Atomics.sub(cpu.m, cpu.L.OBS_PINS + folio * FOLIO_STRIDE, 1);
  if (folio_ref_sub_and_test(cpu, folio, GUP_PIN_COUNTING_BIAS - 1)) {
    throw new Error(`model bug: unpin_folio(f${folio}): the pin did not hold its references`);
  }
  folio_put(cpu, folio);
}

/**
 * mm/gup.c follow_page_pte(): look up the folio `mm` maps at `addr` under the PTL, pin it with
 * FOLL_PIN and/or mark it accessed with FOLL_TOUCH. A migration entry waits for the migration
 * (migration_entry_wait()); an empty PTE is EFAULT (faulting in is not modelled here).
 */
export function follow_page_pte(cpu: Cpu, mm: number, addr: number, flags: number): number {
  const ptl = pte_lockptr(cpu, mm);
  const at = pte_addr(cpu, mm, addr);
  for (;;) {
    spin_lock(cpu, ptl);
    cpu.preempt(S.follow_page_pte);
    const pte = Atomics.load(cpu.m, at);
    if (pte_present(pte)) {
      const folio = pte_folio(pte);
      if (flags & FOLL_PIN) try_grab_folio_pin(cpu, folio);
      if (flags & FOLL_TOUCH) folio_mark_accessed(cpu, folio);
      spin_unlock(cpu, ptl);
      return folio;
    }
    spin_unlock(cpu, ptl);
    if (!is_migration_entry(pte)) return EFAULT;
    cpu.trace(S.migration_entry_wait, pte_folio(pte), addr);
    cpu.block(at, pte, true, S.migration_entry_wait);
  }
}

/** Whether the folio's refcount shows references GUP cannot account for (98c6d259319e). */
function has_unexpected_refs(cpu: Cpu, folio: number): boolean {
  return folio_ref_count(cpu, folio) !== folio_expected_ref_count(cpu, folio) + 1;
}

/** Observation only: a drain GUP decided on, counted and timed for the bench (bench-stat.ts). */
function timedDrain(cpu: Cpu, drain: (cpu: Cpu) => void): void {
  const t0 = statClock(cpu);
  drain(cpu);
  statSince(cpu, BenchStat.GUP_DRAIN_NS, t0);
  if (drain === lru_add_drain_all) statAdd(cpu, BenchStat.GUP_DRAIN_ALL_CALLS);
}

/**
 * mm/gup.c collect_longterm_unpinnable_folios(): count the folios that must move, draining the
 * per-CPU batches when the profile's test says a batch may hold one, and isolate what it can.
 */
export function collect_longterm_unpinnable_folios(cpu: Cpu, folios: number[], list: number[]): number {
  let collected = 0;
  let prev = -1;
  let drainAllow = true;
  let drained = cpu.k.gupLocalDrainFirst ? 0 : 1;
  for (const folio of folios) {
    if (folio === prev) continue;
    prev = folio;
    if (folio_is_longterm_pinnable(cpu, folio)) continue;
    collected++;
    if (cpu.k.gupDrainOnRefcount) {
      if (drained === 0 && has_unexpected_refs(cpu, folio)) { timedDrain(cpu, lru_add_drain); drained = 1; }
      if (drained === 1 && has_unexpected_refs(cpu, folio)) { timedDrain(cpu, lru_add_drain_all); drained = 2; }
    } else if (drainAllow && (cpu.k.gupAlwaysDrain || !folio_test(cpu, folio, Pg.lru))) {
      timedDrain(cpu, lru_add_drain_all);
      drainAllow = false;
    }
    if (!folio_isolate_lru(cpu, folio)) continue;
    list.push(folio);
  }
  cpu.trace(S.collect_longterm_unpinnable_folios, -1, collected);
  return collected;
}

/**
 * mm/gup.c migrate_longterm_unpinnable_folios(): drop the pins, migrate the list; EAGAIN asks the
 * caller to pin again (the targets are pinnable now), ENOMEM is what pin_user_pages() returns
 * when a folio would not migrate.
 */
function migrate_longterm_unpinnable_folios(cpu: Cpu, list: number[], folios: number[]): number {
  for (const folio of folios) unpin_folio(cpu, folio);
  folios.length = 0;
  if (list.length > 0 && migrate_pages(cpu, list) !== 0) {
    putback_movable_pages(cpu, list);
    return ENOMEM;
  }
  putback_movable_pages(cpu, list);
  return EAGAIN;
}

/** mm/gup.c check_and_migrate_movable_folios(). */
function check_and_migrate_movable_folios(cpu: Cpu, folios: number[]): number {
  const list: number[] = [];
  if (collect_longterm_unpinnable_folios(cpu, folios, list) === 0) return 0;
  return migrate_longterm_unpinnable_folios(cpu, list, folios);
}

/**
 * mm/gup.c __gup_longterm_locked() for one page: pin, check, migrate, and pin again while the
 * check says EAGAIN. Returns the pinned folio or a negative errno.
 */
function __gup_longterm_locked(cpu: Cpu, mm: number, addr: number, flags: number): number {
  for (;;) {
    const folio = follow_page_pte(cpu, mm, addr, FOLL_PIN | flags);
    if (folio < 0) return folio;
    const rc = check_and_migrate_movable_folios(cpu, [folio]);
    cpu.trace(S.gup_longterm_check, folio, rc);
    if (rc === 0) return folio;
    if (rc !== EAGAIN) return rc;
  }
}

/** mm/gup.c pin_user_pages(FOLL_LONGTERM) of one page: no FOLL_TOUCH on this path. */
export function pin_user_pages(cpu: Cpu, mm: number, addr: number): number {
  return __gup_longterm_locked(cpu, mm, addr, 0);
}

/**
 * mm/gup.c pin_user_pages_remote(FOLL_LONGTERM) of one page, as VFIO pins guest memory: it adds
 * FOLL_TOUCH, so the pin itself marks the folio accessed, which can queue it in this CPU's own
 * activate batch.
 */
export function pin_user_pages_remote(cpu: Cpu, mm: number, addr: number): number {
  return __gup_longterm_locked(cpu, mm, addr, FOLL_TOUCH);
}
