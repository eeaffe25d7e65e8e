// Models mm/rmap.c (v6.10) for small anon folios: mapcount bookkeeping, folio_referenced(),
// try_to_unmap() and try_to_migrate(). The rmap walk scans every mm's page table under its PTL
// (our anon_vma: small tables, exact answer).
import { fetchAdd, fetchAnd, fetchOr, fetchSub, load, smp_mb, smp_rmb, store } from '../shm/access.js';
import { FOLIO_STRIDE } from '../shm/layout.js';
import type { Cpu } from './cpu.js';
import { spin_lock, spin_unlock } from './locking.js';
import { GUP_PIN_COUNTING_BIAS } from './gup.js';
import { folio_clear, folio_flags, has, Pg } from './page-flags.js';
import { mlock_vma_folio, vma_locked } from './mlock.js';
import { MadvFree } from './profile.js';
import {
  is_migration_entry, make_migration_entry, pte_addr, pte_dirty, pte_folio, pte_lockptr, pte_present, pte_young,
  ptep_get_and_clear, PTE_WRITE, PTE_YOUNG, swp_entry_to_pte,
} from './pgtable.js';
import { S } from './sites.js';
import { folio_put } from './swap.js';
import { swap_duplicate } from './swapfile.js';
import { patchable } from './patchable.js';

/** mm/rmap.c folio_add_anon_rmap_pte(): one more PTE maps the folio (caller holds the PTL). */
export function folio_add_anon_rmap_pte(cpu: Cpu, folio: number, mm: number, addr: number): void {
  cpu.preempt(S.folio_add_rmap);
  const { L } = cpu;
  const mapcount = fetchAdd(cpu, L.FOLIO_MAPCOUNT + folio * FOLIO_STRIDE, 1) + 1;
  if (mapcount === 1) {
    store(cpu, L.FOLIO_MM + folio * FOLIO_STRIDE, mm);
    store(cpu, L.FOLIO_INDEX + folio * FOLIO_STRIDE, addr);
  }
  cpu.trace(S.folio_add_rmap, folio, mapcount);
}

/** include/linux/mm.h folio_mapcount() of a small folio: how many PTEs map it. */
export function folio_mapcount(cpu: Cpu, folio: number): number {
  cpu.preempt(S.folio_mapcount);
  const mapcount = load(cpu, cpu.L.FOLIO_MAPCOUNT + folio * FOLIO_STRIDE);
  cpu.trace(S.folio_mapcount, folio, mapcount);
  return mapcount;
}

/** mm/rmap.c folio_remove_rmap_pte(). */
export function folio_remove_rmap_pte(cpu: Cpu, folio: number): void {
  cpu.preempt(S.folio_remove_rmap);
  const mapcount = fetchSub(cpu, cpu.L.FOLIO_MAPCOUNT + folio * FOLIO_STRIDE, 1) - 1;
  cpu.trace(S.folio_remove_rmap, folio, mapcount);
}

/**
 * Calls `visit(pteWord, pte)` for every PTE of every mm for which `match(pte)` holds, with that mm's
 * PTL held (mm/rmap.c rmap_walk() in our page-table-scan form).
 */
export function rmap_walk(cpu: Cpu, match: (pte: number) => boolean, visit: (at: number, pte: number) => void): void {
  const { mms, ptesPerMm } = cpu.L.config;
  for (let mm = 0; mm < mms; mm++) {
    const ptl = pte_lockptr(cpu, mm);
    spin_lock(cpu, ptl);
    for (let a = 0; a < ptesPerMm; a++) {
      const at = pte_addr(cpu, mm, a);
      const pte = load(cpu, at);
      if (match(pte)) visit(at, pte);
    }
    spin_unlock(cpu, ptl);
  }
}

/**
 * mm/rmap.c try_to_migrate(): replace each PTE of the (locked) folio with a migration entry. In a
 * VM_LOCKED vma (with the v5.18 mlock batch), removing the rmap munlocks the folio
 * (munlock_vma_folio() → munlock_folio(), a batch entry) and try_to_migrate_one() then runs
 * mlock_drain_local(): this CPU's mlock batch is processed here, so only another CPU's batch can
 * still hold a reference at the migration check. v5.17 did neither: the new folio inherits
 * PG_mlocked (folio_migrate_flags()).
 */
export function try_to_migrate(cpu: Cpu, folio: number): void {
  rmap_walk(cpu, (pte) => pte_present(pte) && pte_folio(pte) === folio, (at, pte) => {
    cpu.preempt(S.try_to_migrate_one);
    store(cpu, at, make_migration_entry(folio, (pte & PTE_WRITE) !== 0));
    cpu.trace(S.try_to_migrate_one, folio, at - cpu.L.PTE);
    folio_remove_rmap_pte(cpu, folio);
    if (cpu.k.mlockBatch && vma_locked(cpu, pte_mm(cpu, at))) {
      patchable.munlock_folio(cpu, folio);
      patchable.mlock_drain_local(cpu);
    }
    folio_put(cpu, folio);
  });
}

/** The mm whose page table holds PTE word `at`. */
export function pte_mm(cpu: Cpu, at: number): number {
  return Math.floor((at - cpu.L.PTE) / cpu.L.config.ptesPerMm);
}

/** True for a migration entry of `folio`. */
export function is_migration_entry_of(pte: number, folio: number): boolean {
  return is_migration_entry(pte) && pte_folio(pte) === folio;
}

/** include/linux/mm.h folio_maybe_dma_pinned() for a small folio: the FOLL_PIN bias is there. */
export function folio_maybe_dma_pinned(cpu: Cpu, folio: number): boolean {
  return load(cpu, cpu.L.FOLIO_REF + folio * FOLIO_STRIDE) >= GUP_PIN_COUNTING_BIAS;
}

/**
 * What folio_referenced() saw in the folio's PTEs; `vmLocked`: a mapping is in a VM_LOCKED vma (the
 * kernel's vm_flags result), which ended the walk.
 */
export interface Referenced { young: number; dirty: number; vmLocked: boolean }

/**
 * mm/rmap.c folio_referenced(): count (and clear) the young bits of the PTEs mapping the folio.
 * `dirty` counts PTEs found dirty, which the 2014 MADV_FREE postings read here (KERNEL.md §2.13).
 * A mapping in a VM_LOCKED vma ends the walk: folio_referenced_one() (v5.18, with the mlock batch)
 * mlocks the folio there; v5.17's page_referenced_one() only reports it, for try_to_unmap_one().
 */
export function folio_referenced(cpu: Cpu, folio: number): Referenced {
  const r: Referenced = { young: 0, dirty: 0, vmLocked: false };
  rmap_walk(cpu, (pte) => !r.vmLocked && pte_present(pte) && pte_folio(pte) === folio, (at, pte) => {
    cpu.preempt(S.folio_referenced_one);
    if (vma_locked(cpu, pte_mm(cpu, at))) {
      r.vmLocked = true;
      if (cpu.k.mlockBatch) mlock_vma_folio(cpu, folio, pte_mm(cpu, at));
      return;
    }
    if (pte_young(pte)) {
      r.young++;
      fetchAnd(cpu, at, ~PTE_YOUNG); // ptep_clear_flush_young()
    }
    if (pte_dirty(pte)) r.dirty++;
    cpu.trace(S.folio_referenced_one, folio, pte_young(pte) ? 1 : 0);
  });
  return r;
}

/**
 * mm/rmap.c try_to_unmap() → try_to_unmap_one() for a locked small anon folio (KERNEL.md §2.10):
 * a mapping in a VM_LOCKED vma is left alone and the folio mlocked; otherwise each PTE is cleared
 * (its dirty bit moves to PG_dirty) and replaced by a swap PTE, or the folio is discarded if
 * lazy-free and clean, or if reclaim asked to `discard` it (the 2014 MADV_FREE postings). Stops at the first mapping it must restore. Returns whether every mapping is gone.
 */
export function try_to_unmap(cpu: Cpu, folio: number, discard: boolean): boolean {
  let ok = true;
  rmap_walk(cpu, (pte) => ok && pte_present(pte) && pte_folio(pte) === folio, (at) => {
    ok = try_to_unmap_one(cpu, folio, at, discard);
  });
  return ok;
}

function try_to_unmap_one(cpu: Cpu, folio: number, at: number, discard: boolean): boolean {
  const { L } = cpu;
  cpu.preempt(S.try_to_unmap_one);
  if (vma_locked(cpu, pte_mm(cpu, at))) {
    // restore the mlock that got missed (every version: v5.17 mlock_vma_page(), v5.18+ mlock_vma_folio())
    mlock_vma_folio(cpu, folio, pte_mm(cpu, at));
    cpu.trace(S.try_to_unmap_one_restore, folio, UnmapAbort.VM_LOCKED);
    return false;
  }
  const old = ptep_get_and_clear(cpu, at); // ptep_clear_flush(): the final dirty bit comes back
  if (pte_dirty(old)) fetchOr(cpu, L.FOLIO_FLAGS + folio * FOLIO_STRIDE, 1 << Pg.dirty);
  const flags = load(cpu, L.FOLIO_FLAGS + folio * FOLIO_STRIDE);
  const restore = (why: number): boolean => {
    store(cpu, at, old);
    cpu.trace(S.try_to_unmap_one_restore, folio, why);
    return false;
  };
  if (discard) {
    // v3 decides again with the dirty bit the clear returned; the naive rule does not look
    if (cpu.k.madvFree === MadvFree.V3_2014 && !patchable.page_discardable(cpu, folio, pte_dirty(old) ? 1 : 0)) {
      return restore(UnmapAbort.NOT_DISCARDABLE);
    }
    cpu.trace(S.try_to_unmap_one_discard, folio, at - L.PTE);
  } else if (!has(flags, Pg.swapbacked)) {
    if (!patchable.try_to_unmap_one_lazyfree(cpu, folio)) return restore(UnmapAbort.LAZYFREE_DIRTY);
    cpu.trace(S.try_to_unmap_one_discard, folio, at - L.PTE);
  } else {
    if (!has(flags, Pg.swapcache)) return restore(UnmapAbort.NOT_IN_SWAP);
    const slot = load(cpu, L.FOLIO_SWAP + folio * FOLIO_STRIDE);
    const exclusive = cpu.k.anonExclusive && has(flags, Pg.anon_exclusive);
    // page_try_share_anon_rmap(): a possibly pinned exclusive page stays mapped
    if (exclusive && folio_maybe_dma_pinned(cpu, folio)) return restore(UnmapAbort.PINNED);
    swap_duplicate(cpu, slot);
    if (exclusive) folio_clear(cpu, folio, Pg.anon_exclusive);
    store(cpu, at, swp_entry_to_pte(slot, exclusive && cpu.k.swpExclusive));
    cpu.trace(S.try_to_unmap_one, folio, at - L.PTE);
  }
  folio_remove_rmap_pte(cpu, folio);
  folio_put(cpu, folio);
  return true;
}

/** Why try_to_unmap_one() put a mapping back (trace value). */
export const UnmapAbort = { LAZYFREE_DIRTY: 0, NOT_IN_SWAP: 1, PINNED: 2, NOT_DISCARDABLE: 3, VM_LOCKED: 4 } as const;

/**
 * mm/vmscan.c page_discardable() of the 2014 MADV_FREE postings (Minchan Kim v4–v6; open-coded in
 * v3), shrink_folio_list()'s discard rule, KERNEL.md §2.13: may reclaim drop this anon page without swap, given how many of its
 * PTEs were dirty. v3: no dirty PTE, not PG_dirty, not in the swap cache. The naive rule looks
 * at the PTEs only. Mainline never asks: its lazy-free folios say so by !PG_swapbacked.
 */
export function page_discardable(cpu: Cpu, folio: number, dirtyPtes: number): boolean {
  const rule = cpu.k.madvFree;
  if (rule !== MadvFree.V3_2014 && rule !== MadvFree.NAIVE_PTE) return false;
  const flags = folio_flags(cpu, folio);
  if (!has(flags, Pg.anon) || dirtyPtes > 0) return false;
  return rule === MadvFree.NAIVE_PTE || (!has(flags, Pg.dirty) && !has(flags, Pg.swapcache));
}

/**
 * mm/rmap.c try_to_unmap_one()'s lazy-free decision (KERNEL.md §2.10): may reclaim discard this
 * clean-looking !PG_swapbacked folio; if not, the folio may become swap-backed again. Per profile:
 * - 802a3a92ad7a (v4.12–5.17): discard if clean, else swap-backed again; an extra reference
 *   (a direct-I/O read's GUP reference) does not stop the discard;
 * - lazyfree-refcheck, 6c8e2a256915 (v5.18): discard only if clean and refcount == 1 (isolation)
 *   + mapcount; otherwise swap-backed again, whatever the reason;
 * - lazyfree-swapbacked-if-dirty, Barry Song (v6.15): dirty → swap-backed again; clean with an
 *   extra reference → the PTE is restored and the folio stays lazy-free.
 */
export function try_to_unmap_one_lazyfree(cpu: Cpu, folio: number): boolean {
  const { L } = cpu;
  let refsOk = true;
  if (cpu.k.lazyfreeRefcheck) {
    // mm/rmap.c (v5.18) try_to_unmap_one(): the PTE cleared, smp_mb(), then the refcount; GUP-fast
    // takes its reference (a fully ordered try-get), then re-reads the PTE: one of the two sees the other.
    if (!cpu.k.lazyfreeRefcheckNoMb) smp_mb(cpu);
    refsOk = load(cpu, L.FOLIO_REF + folio * FOLIO_STRIDE) === 1 + load(cpu, L.FOLIO_MAPCOUNT + folio * FOLIO_STRIDE);
    // mm/rmap.c (v5.18): smp_rmb(), the refcount before PG_dirty: a direct-I/O completion dirties
    // the folio before it drops its reference, so a reference seen gone means its PG_dirty is seen.
    smp_rmb(cpu);
  }
  const dirty = has(load(cpu, L.FOLIO_FLAGS + folio * FOLIO_STRIDE), Pg.dirty);
  if (!dirty && refsOk) return true;
  if (dirty || !cpu.k.lazyfreeSwapbackedIfDirty) fetchOr(cpu, L.FOLIO_FLAGS + folio * FOLIO_STRIDE, 1 << Pg.swapbacked);
  return false;
}
