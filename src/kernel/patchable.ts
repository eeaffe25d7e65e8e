// The model functions a patch file may replace or wrap, by their kernel names (docs/patches.md),
// and the table through which the model calls them. Every call of one of them, from the model,
// the scenario's `kernel` namespace or the bench, is `patchable.NAME(cpu, ...)`: one property load
// more than a direct call, which is all that patching costs when no patch is loaded. A CPU's
// worker runs one CPU of one run at a time and installs that run's table before the run starts
// (cpu/control.ts, drain-bench/rep.ts), so the table is the run's. Not patchable: the primitives a
// patch is written with (page flags, references, locks, batch slots) and the state readers.
import { do_anonymous_page, handle_mm_fault, handle_pte_fault } from './memory.js';
import { finish_fault_cma_page } from './memory-driver.js';
import { do_wp_page, wp_can_reuse_anon_folio } from './memory-wp.js';
import { do_swap_page, do_swap_page_exclusive } from './memory-swapin.js';
import {
  check_and_migrate_movable_folios, collect_longterm_unpinnable_folios, follow_page_pte, get_user_pages, get_user_pages_remote,
  gup_must_unshare, pin_user_pages, pin_user_pages_remote, put_page, unpin_folio,
} from './gup.js';
import { get_user_pages_fast, pin_user_pages_fast } from './gup-fast.js';
import { folio_alloc, folio_is_longterm_pinnable } from './page_alloc.js';
import {
  cpu_needs_drain, deactivate_file_folio, folio_activate, folio_add_lru, folio_batch_add_and_move, folio_batch_move_lru,
  folio_batch_move_lru_claim, folio_deactivate, folio_mark_accessed, folio_mark_lazyfree, folio_rotate_reclaimable, lru_add_drain,
  lru_add_drain_all, lru_add_drain_cpu,
} from './swap.js';
import { folio_add_lru_vma, mlock_drain_local, mlock_fixup, mlock_folio, mlock_new_folio, munlock_folio } from './mlock.js';
import {
  folio_isolate_lru, folio_putback_lru, isolate_lru_folios, move_folios_to_lru, reclaim_pages, shrink_folio_list, shrink_inactive_list,
} from './vmscan.js';
import { folio_expected_ref_count, migrate_pages } from './migrate.js';
import { copy_page_range } from './fork.js';
import { folio_free_swap, swapon, swp_swapcount } from './swapfile.js';
import { add_to_swap, swap_cache_get_folio } from './swap_state.js';
import { end_swap_bio_write } from './page_io.js';
import { folio_referenced, page_discardable, try_to_unmap, try_to_unmap_one_lazyfree } from './rmap.js';
import { madvise_dontneed, madvise_free } from './madvise.js';
import { mprotect } from './mprotect.js';
import { memcpy_to_folio } from './highmem.js';

/** The model's own version of every patchable function, by kernel name (function declarations: set before any module body runs). */
const MODEL_FNS = {
  // faults (mm/memory.c)
  do_anonymous_page, finish_fault_cma_page, handle_mm_fault, handle_pte_fault, do_wp_page, wp_can_reuse_anon_folio, do_swap_page,
  do_swap_page_exclusive, copy_page_range, mprotect, memcpy_to_folio,
  // GUP (mm/gup.c)
  follow_page_pte, pin_user_pages, pin_user_pages_remote, get_user_pages, get_user_pages_remote, get_user_pages_fast,
  pin_user_pages_fast, unpin_folio, put_page, gup_must_unshare, collect_longterm_unpinnable_folios,
  check_and_migrate_movable_folios, folio_is_longterm_pinnable, folio_alloc,
  // per-CPU LRU batches (mm/swap.c, mm/mlock.c)
  folio_add_lru, folio_activate, folio_deactivate, deactivate_file_folio, folio_mark_lazyfree, folio_rotate_reclaimable,
  folio_mark_accessed, folio_batch_add_and_move, folio_batch_move_lru, folio_batch_move_lru_claim, lru_add_drain,
  lru_add_drain_cpu, lru_add_drain_all, cpu_needs_drain, mlock_folio, mlock_new_folio, munlock_folio, mlock_drain_local,
  mlock_fixup, folio_add_lru_vma,
  // reclaim and migration (mm/vmscan.c, mm/rmap.c, mm/migrate.c)
  folio_isolate_lru, folio_putback_lru, isolate_lru_folios, shrink_folio_list, shrink_inactive_list, reclaim_pages,
  move_folios_to_lru, page_discardable, folio_referenced, try_to_unmap, try_to_unmap_one_lazyfree, migrate_pages,
  folio_expected_ref_count,
  // swap and MADV_FREE (mm/swapfile.c, mm/swap_state.c, mm/page_io.c, mm/madvise.c)
  swapon, swp_swapcount, folio_free_swap, add_to_swap, swap_cache_get_folio, end_swap_bio_write, madvise_free, madvise_dontneed,
};

/** The patchable functions, as the model calls them. */
export type KernelFns = { -readonly [K in keyof typeof MODEL_FNS]: (typeof MODEL_FNS)[K] };
export type PatchableName = keyof KernelFns;

/** Every patchable function's name. */
export const PATCHABLE_NAMES = Object.keys(MODEL_FNS) as readonly PatchableName[];

/** What a patch changes: functions that replace the model's, and wrappers, each given the model's function. */
export interface PatchFns {
  readonly replace?: { readonly [K in PatchableName]?: KernelFns[K] };
  readonly wrap?: { readonly [K in PatchableName]?: (original: KernelFns[K]) => KernelFns[K] };
}

/** The functions the model of this thread calls: the model's own, or those of the running run's patch. */
export const patchable: KernelFns = { ...MODEL_FNS };

/** Whether `name` is a patchable function's name. */
export function isPatchable(name: string): name is PatchableName {
  return Object.hasOwn(MODEL_FNS, name);
}

/**
 * A run's table: the model's functions with `patch` applied. A wrapper is called here, once, with
 * the model's function; what it returns must be a function (a TypeError names the wrapper otherwise).
 */
export function kernelFns(patch: PatchFns | null): KernelFns {
  const table: KernelFns = { ...MODEL_FNS };
  const set = table as Record<PatchableName, unknown>;
  for (const [name, f] of Object.entries(patch?.replace ?? {})) if (isPatchable(name)) set[name] = f;
  for (const [name, w] of Object.entries(patch?.wrap ?? {})) {
    if (!isPatchable(name)) continue;
    const wrapped: unknown = (w as (original: unknown) => unknown)(MODEL_FNS[name]);
    if (typeof wrapped !== 'function') {
      throw new TypeError(`wrap.${name} must return the function that replaces ${name} (got ${typeof wrapped})`);
    }
    set[name] = wrapped;
  }
  return table;
}

/** Makes `table` the one this thread's model calls (before a run starts); only changed entries are stored. */
export function installKernelFns(table: KernelFns): void {
  const to = patchable as Record<PatchableName, unknown>;
  for (const name of PATCHABLE_NAMES) if (to[name] !== table[name]) to[name] = table[name];
}
