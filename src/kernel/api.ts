// The model functions a scenario may call, under their kernel names (the `kernel` export of the
// package). Each takes the Cpu context first.
export { do_anonymous_page } from './memory.js';
// The internals a patch file may replace (patchable.ts), and the batch building blocks a patch of
// them is written with.
export {
  collect_longterm_unpinnable_folios, check_and_migrate_movable_folios,
} from './gup.js';
export {
  cpu_needs_drain, folio_batch_add_and_move, folio_batch_move_lru, folio_batch_move_lru_claim, lru_cache_disabled,
} from './swap.js';
export { folio_batch_add } from './pagevec.js';
export { local_lock, local_unlock } from './locking.js';
export { wp_can_reuse_anon_folio } from './memory-wp.js';
export { do_swap_page_exclusive } from './memory-swapin.js';
export { page_discardable, try_to_unmap_one_lazyfree } from './rmap.js';
export { finish_fault_cma_page } from './memory-driver.js';
export {
  FOLL_PIN, FOLL_TOUCH, follow_page_pte, pin_user_pages, pin_user_pages_remote, unpin_folio, GUP_PIN_COUNTING_BIAS,
} from './gup.js';
export {
  FOLL_GET, FOLL_LONGTERM, FOLL_REMOTE, FOLL_WRITE, EFAULT, EINVAL, get_user_pages, get_user_pages_remote, gup_must_unshare,
  put_page,
} from './gup.js';
export { get_user_pages_fast, pin_user_pages_fast } from './gup-fast.js';
export { FAULT_FLAG_UNSHARE, FAULT_FLAG_WRITE, handle_mm_fault } from './memory.js';
export { folio_is_longterm_pinnable, folio_alloc, Zone } from './page_alloc.js';
export { Pg, folio_flags, folio_test, folio_set, folio_clear, folio_test_clear } from './page-flags.js';
export { folio_get, folio_try_get, folio_ref_count } from './page_ref.js';
export {
  folio_put, folio_add_lru, folio_activate, folio_deactivate, deactivate_file_folio, folio_mark_lazyfree,
  folio_rotate_reclaimable, folio_mark_accessed, lru_add_drain, lru_add_drain_all, lru_add_drain_cpu, lru_lock_addr, lru_drain_gen,
} from './swap.js';
export { pte_lockptr } from './pgtable.js';
export {
  mlock_folio, mlock_new_folio, munlock_folio, mlock_drain_local, mlock_fixup, folio_add_lru_vma, VM_LOCKED,
} from './mlock.js';
export { folio_isolate_lru, folio_putback_lru } from './vmscan.js';
export { migrate_pages, folio_expected_ref_count } from './migrate.js';
export { folio_lock, folio_trylock, folio_unlock, spin_lock, spin_unlock, mutex_lock, mutex_unlock } from './locking.js';
export { do_swap_page } from './memory-swapin.js';
export { do_wp_page } from './memory-wp.js';
export { handle_pte_fault } from './memory.js';
export { copy_page_range } from './fork.js';
export { user_load, user_store, peek_user, mapped_folio } from './user.js';
export { swapon, SwapDevice, swp_swapcount, folio_free_swap } from './swapfile.js';
export { add_to_swap, swap_cache_get_folio } from './swap_state.js';
export { end_swap_bio_write, complete_swap_writes } from './page_io.js';
export { shrink_folio_list, shrink_inactive_list, reclaim_pages, isolate_lru_folios, move_folios_to_lru } from './vmscan.js';
export { folio_referenced, try_to_unmap } from './rmap.js';
export { madvise_free, madvise_dontneed } from './madvise.js';
export { folio_mapcount } from './rmap.js';
export { folio_batch_count } from './pagevec.js';
export { EAGAIN, EMLINK, ENOMEM } from './errno.js';
export { Batch, BATCH_NAMES, Lru, LRU_NAMES } from '../shm/layout.js';
export type { BatchId } from '../shm/layout.js';
// Readers of the model's state (not kernel functions).
export {
  batchCount, folioBatches, folioData, folioFlagNames, folioLru, folioRefHolders, lastMigrationFailure, lruName, pgreuseEvents, swapWritesChanged,
} from './observe.js';
export type { BatchName, BatchSlot, LruName, MigrationFailure, RefHolders } from './observe.js';
export { memcpy_to_folio } from './highmem.js';
export { mprotect, PROT_READ, PROT_WRITE } from './mprotect.js';
export { READ_ONCE, WRITE_ONCE, smp_load_acquire, smp_store_release, smp_mb } from './rwonce.js';
