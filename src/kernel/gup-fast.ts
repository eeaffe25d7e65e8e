// Models the lockless GUP-fast path of mm/gup.c (v6.10 names; gup_pte_range() before v6.9) for one
// small anon page: read the PTE without the PTL, take the folio with a try-get, check that the PTE
// did not change meanwhile, and give up to the slow path (gup.ts) whenever anything would need the
// PTL, a fault, a migration or an unshare. A FOLL_PIN also gives up when fork() write-protected
// the mm meanwhile (mm->write_protect_seq, 57efa1fe5957, v5.11). Interrupts being off on the
// kernel's walk only keeps page tables from being freed; the model's page tables are never freed.
import { fetchAdd, load } from '../shm/access.js';
import { FOLIO_STRIDE } from '../shm/layout.js';
import type { Cpu } from './cpu.js';
import {
  __gup_longterm_locked, FOLL_GET, FOLL_LONGTERM, FOLL_PIN, FOLL_TOUCH, FOLL_WRITE, GUP_PIN_COUNTING_BIAS, withValidArgs,
} from './gup.js';
import { folio_set, Pg } from './page-flags.js';
import { folio_ref_add, folio_try_get } from './page_ref.js';
import { pte_addr, pte_folio, pte_present, pte_write } from './pgtable.js';
import { S } from './sites.js';
import { folio_put } from './swap.js';
import { patchable } from './patchable.js';

/** Why GUP-fast gave up (trace value of gup_fast_fallback). */
export const FastFallback = { PTE: 0, REF: 1, PTE_CHANGED: 2, UNPINNABLE: 3, UNSHARE: 4, FORK: 5 } as const;

/**
 * mm/gup.c try_grab_folio_fast() for a small folio: a try-get (fails once the count reached 0),
 * then for FOLL_PIN the rest of the bias, unless FOLL_LONGTERM meets an unpinnable folio.
 */
function try_grab_folio_fast(cpu: Cpu, folio: number, flags: number): boolean {
  if (!folio_try_get(cpu, folio)) return false;
  if (flags & FOLL_GET) {
    fetchAdd(cpu, cpu.L.OBS_EXTRA + folio * FOLIO_STRIDE, 1);
    return true;
  }
  if ((flags & FOLL_LONGTERM) && !patchable.folio_is_longterm_pinnable(cpu, folio)) {
    folio_put(cpu, folio);
    return false;
  }
  folio_ref_add(cpu, folio, GUP_PIN_COUNTING_BIAS - 1);
  fetchAdd(cpu, cpu.L.OBS_PINS + folio * FOLIO_STRIDE, 1);
  return true;
}

/** mm/gup.c gup_put_folio(): undo a grab; the last reference frees the folio (it was unmapped meanwhile). */
function gup_put_folio(cpu: Cpu, folio: number, flags: number): void {
  if (flags & FOLL_PIN) patchable.unpin_folio(cpu, folio);
  else patchable.put_page(cpu, folio);
}

/** Traces why GUP-fast gave up; returns -1 (nothing taken). */
function giveUp(cpu: Cpu, folio: number, why: number): number {
  cpu.trace(S.gup_fast_fallback, folio, why);
  return -1;
}

/**
 * mm/gup.c gup_fast() → gup_fast_pte_range() for the page at `addr` of `mm`: the folio taken
 * (FOLL_PIN or FOLL_GET), its PG_referenced set (folio_set_referenced(), not FOLL_TOUCH), or -1.
 */
export function gup_fast(cpu: Cpu, mm: number, addr: number, flags: number): number {
  const { L } = cpu;
  const seqAt = L.WP_SEQ + mm;
  const seq = load(cpu, seqAt); // raw_seqcount_try_begin()
  if ((flags & FOLL_PIN) && (seq & 1)) return giveUp(cpu, -1, FastFallback.FORK);
  const at = pte_addr(cpu, mm, addr);
  cpu.preempt(S.gup_fast);
  const pte = load(cpu, at); // ptep_get_lockless()
  if (!pte_present(pte) || ((flags & FOLL_WRITE) && !pte_write(pte))) return giveUp(cpu, -1, FastFallback.PTE);
  const folio = pte_folio(pte);
  if (!try_grab_folio_fast(cpu, folio, flags)) return giveUp(cpu, folio, FastFallback.REF);
  let why = -1;
  cpu.preempt(S.gup_fast);
  if (load(cpu, at) !== pte) why = FastFallback.PTE_CHANGED;
  // gup_fast_folio_allowed()
  else if ((flags & FOLL_LONGTERM) && !patchable.folio_is_longterm_pinnable(cpu, folio)) why = FastFallback.UNPINNABLE;
  else if (!pte_write(pte) && patchable.gup_must_unshare(cpu, flags, folio)) why = FastFallback.UNSHARE;
  else if ((flags & FOLL_PIN) && load(cpu, seqAt) !== seq) why = FastFallback.FORK; // read_seqcount_retry()
  if (why >= 0) {
    gup_put_folio(cpu, folio, flags);
    return giveUp(cpu, folio, why);
  }
  folio_set(cpu, folio, Pg.referenced);
  cpu.trace(S.gup_fast, folio, 0);
  return folio;
}

/** mm/gup.c gup_fast_fallback(): GUP-fast, else the slow path with FOLL_TOUCH. */
function gup_fast_fallback(cpu: Cpu, mm: number, addr: number, flags: number): number {
  const folio = gup_fast(cpu, mm, addr, flags);
  return folio >= 0 ? folio : __gup_longterm_locked(cpu, mm, addr, flags | FOLL_TOUCH);
}

/**
 * mm/gup.c pin_user_pages_fast() of one page: FOLL_PIN, lockless first. `gupFlags`: FOLL_WRITE,
 * FOLL_LONGTERM. Returns the pinned folio (release with unpin_folio()) or a negative errno.
 */
export function pin_user_pages_fast(cpu: Cpu, mm: number, addr: number, gupFlags = 0): number {
  return withValidArgs(gupFlags, FOLL_PIN, (flags) => gup_fast_fallback(cpu, mm, addr, flags));
}

/**
 * mm/gup.c get_user_pages_fast() of one page: FOLL_GET, lockless first. Returns the folio
 * (release with put_page()) or a negative errno.
 */
export function get_user_pages_fast(cpu: Cpu, mm: number, addr: number, gupFlags = 0): number {
  return withValidArgs(gupFlags, FOLL_GET, (flags) => gup_fast_fallback(cpu, mm, addr, flags));
}
