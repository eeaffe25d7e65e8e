// Models mm/gup.c (v6.10 shape) for one small anon page per call: the FOLL_* flags, the lookup
// under the PTL (follow_page_pte), faulting the page in (faultin_page → handle_mm_fault), the R/O
// pin's unshare request (gup_must_unshare, a7f226604170, v5.19, switch gup-unshare), and
// FOLL_LONGTERM pinning, which must first migrate a folio that may not be pinned long-term (CMA).
// The long-term drain decision is per profile: PG_lru test (≤6.16), yangge's June 2024 "always
// drain" proposal, or Hugh Dickins' 2025 refcount test with a local drain first (98c6d259319e,
// a09a8a1fbb37; v6.17), and its 2026 pin-refs fix. The lockless fast path is in gup-fast.ts.
import { fetchAdd, fetchSub, load } from '../shm/access.js';
import { FOLIO_STRIDE } from '../shm/layout.js';
import type { Cpu } from './cpu.js';
import { spin_lock, spin_unlock } from './locking.js';
import { FAULT_FLAG_UNSHARE, FAULT_FLAG_WRITE, VM_FAULT_OOM } from './memory.js';
import { EAGAIN, EFAULT, EINVAL, EMLINK, ENOMEM } from './errno.js';
import { putback_movable_pages } from './migrate.js';
import { folio_set, folio_test, Pg } from './page-flags.js';
import { folio_ref_add, folio_ref_count } from './page_ref.js';
import { is_migration_entry, pte_addr, pte_dirty, pte_folio, pte_lockptr, pte_present, pte_write } from './pgtable.js';
import { S } from './sites.js';
import { folio_put, folio_put_refs } from './swap.js';
import { patchable } from './patchable.js';

/** include/linux/mm.h GUP_PIN_COUNTING_BIAS: what FOLL_PIN adds to a small folio's refcount. */
export const GUP_PIN_COUNTING_BIAS = 1 << 10;
export { EFAULT, EINVAL, EMLINK } from './errno.js';

// include/linux/mm_types.h (6.x; mm.h before) FOLL_* flags. Values are ours; names are the kernel's.
/** A pin (FOLL_PIN): +GUP_PIN_COUNTING_BIAS, released by unpin_folio(); set by pin_user_pages*(). */
export const FOLL_PIN = 1;
/** The caller will write through the page: a read-only PTE is write-faulted (COW) first. */
export const FOLL_WRITE = 2;
/** Mark the page accessed (folio_mark_accessed), and dirty for a write; set by get_user_pages*() and the _remote pins. */
export const FOLL_TOUCH = 4;
/** A plain reference (FOLL_GET): +1, released by put_page(); set by get_user_pages*(). */
export const FOLL_GET = 8;
/** The pin may last indefinitely: an unpinnable (CMA) folio is migrated first; needs FOLL_PIN. */
export const FOLL_LONGTERM = 16;
/** Another process's mm (FAULT_FLAG_REMOTE); set by the _remote calls. No other effect in the model. */
export const FOLL_REMOTE = 32;

/** mm/gup.c try_grab_folio() for a small folio: FOLL_PIN adds the bias, FOLL_GET one reference. */
function try_grab_folio(cpu: Cpu, folio: number, flags: number): void {
  if (flags & FOLL_PIN) {
    folio_ref_add(cpu, folio, GUP_PIN_COUNTING_BIAS);
    fetchAdd(cpu, cpu.L.OBS_PINS + folio * FOLIO_STRIDE, 1);
  } else if (flags & FOLL_GET) {
    folio_ref_add(cpu, folio, 1);
    fetchAdd(cpu, cpu.L.OBS_EXTRA + folio * FOLIO_STRIDE, 1);
  }
}

/**
 * mm/gup.c unpin_folio() → gup_put_folio(FOLL_PIN): the pin may hold the last reference (the
 * process unmapped the pinned page meanwhile, MADV_DONTNEED, munmap, exit, or reclaim did), and
 * then frees it.
 */
export function unpin_folio(cpu: Cpu, folio: number): void {
  fetchSub(cpu, cpu.L.OBS_PINS + folio * FOLIO_STRIDE, 1);
  folio_put_refs(cpu, folio, GUP_PIN_COUNTING_BIAS);
}

/**
 * include/linux/mm.h put_page() of a reference get_user_pages*() returned (FOLL_GET): the last
 * put frees the folio, as when the process unmapped it meanwhile.
 */
export function put_page(cpu: Cpu, folio: number): void {
  fetchSub(cpu, cpu.L.OBS_EXTRA + folio * FOLIO_STRIDE, 1);
  folio_put(cpu, folio);
}

/**
 * mm/internal.h gup_must_unshare() for an anon page (v5.19; mm.h then): a R/O pin
 * (FOLL_PIN without FOLL_WRITE) of a page that is not PageAnonExclusive may be of a page another
 * process shares, and a later write fault would replace it under the pin.
 */
export function gup_must_unshare(cpu: Cpu, flags: number, folio: number): boolean {
  if (!cpu.k.gupUnshare || (flags & (FOLL_WRITE | FOLL_PIN)) !== FOLL_PIN) return false;
  if (!folio_test(cpu, folio, Pg.anon)) return false;
  return !folio_test(cpu, folio, Pg.anon_exclusive);
}

/**
 * mm/gup.c follow_page_pte(): look up the folio `mm` maps at `addr` under the PTL, grab it with
 * FOLL_PIN or FOLL_GET and mark it accessed (and dirty for FOLL_WRITE) with FOLL_TOUCH. Returns
 * the folio; EFAULT where the kernel returns NULL (nothing present, or FOLL_WRITE on a read-only
 * PTE: GUP faults it in); EMLINK when gup_must_unshare(). A migration entry waits for the
 * migration (migration_entry_wait(), which the kernel reaches through the fault).
 */
export function follow_page_pte(cpu: Cpu, mm: number, addr: number, flags: number): number {
  const ptl = pte_lockptr(cpu, mm);
  const at = pte_addr(cpu, mm, addr);
  for (;;) {
    spin_lock(cpu, ptl);
    cpu.preempt(S.follow_page_pte);
    const pte = load(cpu, at);
    if (pte_present(pte)) {
      const rc = follow_present_pte(cpu, pte, flags);
      spin_unlock(cpu, ptl);
      return rc;
    }
    spin_unlock(cpu, ptl);
    if (!is_migration_entry(pte)) return EFAULT;
    cpu.trace(S.migration_entry_wait, pte_folio(pte), addr);
    cpu.block(at, pte, true, S.migration_entry_wait);
  }
}

/** The part of follow_page_pte() under the PTL once the PTE `pte` is present. */
function follow_present_pte(cpu: Cpu, pte: number, flags: number): number {
  const folio = pte_folio(pte);
  if ((flags & FOLL_WRITE) && !pte_write(pte)) return EFAULT; // can_follow_write_pte()
  if (!pte_write(pte) && patchable.gup_must_unshare(cpu, flags, folio)) {
    cpu.trace(S.gup_must_unshare, folio, 0);
    return EMLINK;
  }
  try_grab_folio(cpu, folio, flags);
  if (flags & FOLL_TOUCH) {
    if ((flags & FOLL_WRITE) && !pte_dirty(pte) && !folio_test(cpu, folio, Pg.dirty)) folio_set(cpu, folio, Pg.dirty);
    patchable.folio_mark_accessed(cpu, folio);
  }
  return folio;
}

/**
 * mm/gup.c faultin_page(): FOLL_WRITE becomes FAULT_FLAG_WRITE, an unshare request
 * FAULT_FLAG_UNSHARE, and handle_mm_fault() does the rest. Returns 0 or -ENOMEM.
 */
function faultin_page(cpu: Cpu, mm: number, addr: number, flags: number, unshare: boolean): number {
  const faultFlags = (flags & FOLL_WRITE ? FAULT_FLAG_WRITE : 0) | (unshare ? FAULT_FLAG_UNSHARE : 0);
  cpu.trace(S.faultin_page, -1, addr);
  return patchable.handle_mm_fault(cpu, mm, addr, faultFlags) === VM_FAULT_OOM ? ENOMEM : 0;
}

/**
 * mm/gup.c __get_user_pages() for one page: follow the PTE; where nothing can be followed, or the
 * pin must unshare first, fault it in and follow again. Returns the folio or a negative errno.
 */
function __get_user_pages(cpu: Cpu, mm: number, addr: number, flags: number): number {
  for (;;) {
    const folio = patchable.follow_page_pte(cpu, mm, addr, flags);
    if (folio >= 0 || (folio !== EFAULT && folio !== EMLINK)) return folio;
    const rc = faultin_page(cpu, mm, addr, flags, folio === EMLINK);
    if (rc < 0) return rc;
  }
}

/**
 * Whether the folio's refcount shows references GUP cannot account for. 98c6d259319e (v6.17)
 * compares with expected + 1, but the caller's own FOLL_PIN added GUP_PIN_COUNTING_BIAS to a
 * small folio, so the test is always true and both drains always run. The 2026 fix
 * (gup-drain-pin-refs; mm/folio.c lru_cache_drain_for_folio() in akpm/mm) adds the pin's own
 * references instead: 1 for a folio with a pincount field (large), the bias for a small one.
 */
function has_unexpected_refs(cpu: Cpu, folio: number): boolean {
  const own = cpu.k.gupDrainPinRefs ? GUP_PIN_COUNTING_BIAS : 1;
  return folio_ref_count(cpu, folio) !== patchable.folio_expected_ref_count(cpu, folio) + own;
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
    if (patchable.folio_is_longterm_pinnable(cpu, folio)) continue;
    collected++;
    if (cpu.k.gupDrainOnRefcount) {
      if (drained === 0 && has_unexpected_refs(cpu, folio)) { patchable.lru_add_drain(cpu); drained = 1; }
      if (drained === 1 && has_unexpected_refs(cpu, folio)) { patchable.lru_add_drain_all(cpu); drained = 2; }
    } else if (drainAllow && (cpu.k.gupAlwaysDrain || !folio_test(cpu, folio, Pg.lru))) {
      patchable.lru_add_drain_all(cpu);
      drainAllow = false;
    }
    if (!patchable.folio_isolate_lru(cpu, folio)) continue;
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
  for (const folio of folios) patchable.unpin_folio(cpu, folio);
  folios.length = 0;
  if (list.length > 0 && patchable.migrate_pages(cpu, list) !== 0) {
    putback_movable_pages(cpu, list);
    return ENOMEM;
  }
  putback_movable_pages(cpu, list);
  return EAGAIN;
}

/**
 * mm/gup.c check_and_migrate_movable_folios(). With 1aaf8c122918 (v6.14–6.15) an empty list is
 * success: a folio that could not be isolated (another pinner or reclaim holds it, or its PG_lru
 * is clear while it sits in a 6.11+ batch) stays pinned where it is. 517f496e1e61 (v6.16)
 * restored the test on what collect counted, which returns -EAGAIN and pins again.
 */
export function check_and_migrate_movable_folios(cpu: Cpu, folios: number[]): number {
  const list: number[] = [];
  const collected = patchable.collect_longterm_unpinnable_folios(cpu, folios, list);
  if (collected === 0 || (cpu.k.gupCollectIsolatedOnly && list.length === 0)) return 0;
  return migrate_longterm_unpinnable_folios(cpu, list, folios);
}

/**
 * mm/gup.c __gup_longterm_locked() for one page: without FOLL_LONGTERM just __get_user_pages();
 * with it pin, check, migrate, and pin again while the check says EAGAIN. Returns the folio or a
 * negative errno.
 */
export function __gup_longterm_locked(cpu: Cpu, mm: number, addr: number, flags: number): number {
  if (!(flags & FOLL_LONGTERM)) return __get_user_pages(cpu, mm, addr, flags);
  for (;;) {
    const folio = __get_user_pages(cpu, mm, addr, flags);
    if (folio < 0) return folio;
    const rc = patchable.check_and_migrate_movable_folios(cpu, [folio]);
    cpu.trace(S.gup_longterm_check, folio, rc);
    if (rc === 0) return folio;
    if (rc !== EAGAIN) return rc;
  }
}

/**
 * mm/gup.c is_valid_gup_args() (v6.3+; the model applies it in every profile): the caller's flags
 * plus `toSet`, or EINVAL for FOLL_PIN with FOLL_GET, or FOLL_LONGTERM without FOLL_PIN.
 */
export function is_valid_gup_args(gupFlags: number, toSet: number): number {
  const flags = gupFlags | toSet;
  if ((flags & (FOLL_PIN | FOLL_GET)) === (FOLL_PIN | FOLL_GET)) return EINVAL;
  if ((flags & FOLL_LONGTERM) && !(flags & FOLL_PIN)) return EINVAL;
  return flags;
}

/** Runs `gup` with the checked flags, or returns EINVAL (every exported GUP call starts so). */
export function withValidArgs(gupFlags: number, toSet: number, gup: (flags: number) => number): number {
  const flags = is_valid_gup_args(gupFlags, toSet);
  return flags < 0 ? flags : gup(flags);
}

/**
 * mm/gup.c pin_user_pages() of one page: FOLL_PIN, no FOLL_TOUCH. `gupFlags` as the caller passes
 * them (FOLL_WRITE, FOLL_LONGTERM); the default, FOLL_LONGTERM, is how the built-in scenarios pin.
 * Returns the pinned folio (release with unpin_folio()) or a negative errno.
 */
export function pin_user_pages(cpu: Cpu, mm: number, addr: number, gupFlags = FOLL_LONGTERM): number {
  return withValidArgs(gupFlags, FOLL_PIN, (flags) => __gup_longterm_locked(cpu, mm, addr, flags));
}

/**
 * mm/gup.c pin_user_pages_remote() of one page, as VFIO pins guest memory (default FOLL_LONGTERM):
 * it adds FOLL_TOUCH, so the pin itself marks the folio accessed, which can queue it in this CPU's
 * own activate batch.
 */
export function pin_user_pages_remote(cpu: Cpu, mm: number, addr: number, gupFlags = FOLL_LONGTERM): number {
  return withValidArgs(gupFlags, FOLL_PIN | FOLL_TOUCH | FOLL_REMOTE, (flags) => __gup_longterm_locked(cpu, mm, addr, flags));
}

/**
 * mm/gup.c get_user_pages() of one page (pages != NULL): a FOLL_GET reference and FOLL_TOUCH.
 * Returns the folio (release with put_page()) or a negative errno; FOLL_LONGTERM is EINVAL.
 */
export function get_user_pages(cpu: Cpu, mm: number, addr: number, gupFlags = 0): number {
  return withValidArgs(gupFlags, FOLL_GET | FOLL_TOUCH, (flags) => __get_user_pages(cpu, mm, addr, flags));
}

/** mm/gup.c get_user_pages_remote() of one page: get_user_pages() with FOLL_REMOTE. */
export function get_user_pages_remote(cpu: Cpu, mm: number, addr: number, gupFlags = 0): number {
  return withValidArgs(gupFlags, FOLL_GET | FOLL_TOUCH | FOLL_REMOTE, (flags) => __get_user_pages(cpu, mm, addr, flags));
}
