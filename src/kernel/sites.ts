// Every place a CPU may be preempted or that it records in its trace. Append only: site ids go
// into traces; failure files store schedules, which do not depend on site ids.
//
// Each row: name, what the event says in a race diagram ({f} the folio, {v} the value decoded by
// its kind), the kind of the value, and whether the race diagram shows it (the Perfetto trace
// shows every event).

type ValueKind = 'ref' | 'bit' | 'batch' | 'list' | 'cpu' | 'n' | 'rc' | 'word' | 'addr' | 'none';

const TABLE = [
  ['test_bit', 'test PG flag of {f}', 'none', false],
  ['set_bit', 'set PG_{v} on {f}', 'bit', true],
  ['clear_bit', 'clear PG_{v} on {f}', 'bit', true],
  ['test_and_clear_bit', 'test_and_clear PG_{v} on {f}: won', 'bit', true],
  ['test_and_clear_bit_lost', 'test_and_clear PG_{v} on {f}: already clear', 'bit', true],
  ['test_and_set_bit', 'test_and_set PG flag of {f}', 'none', false],
  ['folio_ref_count', 'folio_ref_count({f}) = {v}', 'ref', true],
  ['folio_get', 'get {f}: ref {v}', 'ref', true],
  ['folio_put', 'put {f}: ref {v}', 'ref', true],
  ['folio_try_get', 'try_get {f}: ref {v}', 'ref', true],
  ['folio_try_get_failed', 'try_get {f}: failed (ref 0)', 'none', true],
  ['folio_ref_freeze', 'ref_freeze {f} at {v}', 'ref', true],
  ['folio_ref_freeze_failed', 'ref_freeze {f} at {v}: failed', 'ref', true],
  ['spin_lock', 'spin_lock({v})', 'word', false],
  ['spin_lock_wait', 'spin_lock: waiting', 'word', false],
  ['spin_unlock', 'spin_unlock({v})', 'word', false],
  ['mutex_lock', 'mutex_lock({v})', 'word', true],
  ['mutex_wait', 'mutex_lock: waiting', 'word', false],
  ['mutex_unlock', 'mutex_unlock({v})', 'word', true],
  ['folio_lock', 'folio_lock({f})', 'none', false],
  ['folio_lock_wait', 'folio_lock: waiting', 'none', false],
  ['folio_trylock', 'folio_trylock({f}): ok', 'none', false],
  ['folio_trylock_failed', 'folio_trylock({f}): busy', 'none', true],
  ['folio_unlock', 'folio_unlock({f})', 'none', false],
  ['lruvec_add_folio', '{f} → head of {v}', 'list', true],
  ['lruvec_add_folio_tail', '{f} → tail of {v}', 'list', true],
  ['lruvec_del_folio', '{f} off {v}', 'list', true],
  ['queue_work_on', 'queue drain work on CPU{v}', 'cpu', true],
  ['queue_work_on_pending', 'drain work on CPU{v} already pending', 'cpu', true],
  ['flush_work', 'flush_work(CPU{v}) done', 'cpu', true],
  ['flush_work_wait', 'flush_work: waiting', 'none', false],
  ['work_start', 'kworker: lru_add_drain_per_cpu', 'cpu', true],
  ['work_done', 'kworker: drain done', 'cpu', true],
  ['folio_alloc', 'allocate {f}', 'n', true],
  ['folio_alloc_failed', 'allocation failed', 'n', true],
  ['free_folio', 'free {f}', 'none', true],
  ['folio_batch_add', '{f} queued in {v} batch', 'batch', true],
  ['folio_batch_move_lru_skip', '{v} drain skips {f} (PG_lru clear)', 'batch', true],
  ['lru_add_drain', 'lru_add_drain() (local)', 'cpu', true],
  ['lru_add_drain_all', 'lru_add_drain_all() gen {v}', 'n', true],
  ['lru_add_drain_all_gen', 'lru_add_drain_all: generation check', 'none', false],
  ['lru_add_drain_all_piggyback', 'lru_add_drain_all: gen moved since {v}, piggyback', 'n', true],
  ['cpu_needs_drain', 'cpu_needs_drain', 'none', false],
  ['folio_isolate_lru', 'folio_isolate_lru({f}): isolated', 'none', true],
  ['folio_isolate_lru_failed', 'folio_isolate_lru({f}): failed', 'none', true],
  ['folio_add_rmap', 'map {f}: mapcount {v}', 'n', false],
  ['folio_remove_rmap', 'unmap {f}: mapcount {v}', 'n', false],
  ['try_to_migrate_one', 'migration entry for {f}', 'n', true],
  ['remove_migration_pte', 'PTE now maps {f}', 'n', true],
  ['migrate_ref_check', 'migrate {f}: ref {v} as expected', 'ref', true],
  ['migrate_ref_check_failed', 'migrate {f}: ref {v} ≠ expected → -EAGAIN', 'ref', true],
  ['migrate_pages', 'migrate_pages: {v} failed', 'n', true],
  ['migration_entry_wait', 'wait for migration of {f}', 'n', true],
  ['follow_page_pte', 'follow_page_pte', 'none', false],
  ['collect_longterm_unpinnable_folios', 'collect: {v} unpinnable', 'n', true],
  ['gup_longterm_check', 'check_and_migrate({f}) = {v}', 'rc', true],
  ['set_pte', 'PTE {v} maps {f}', 'n', true],
  // swap (swapfile.c, swap_state.c, page_io.c)
  ['swap_alloc', 'swap slot {v} allocated', 'n', true],
  ['swap_alloc_failed', 'no free swap slot', 'n', true],
  ['swap_count', 'read swap count', 'none', false],
  ['swap_count_set', 'swap count now {v}', 'n', true],
  ['folio_free_swap', '{f} leaves the swap cache', 'none', true],
  ['folio_free_swap_failed', '{f} stays in the swap cache (writeback or other swap users)', 'none', true],
  ['reuse_swap_page', 'reuse_swap_page({f}) = {v}', 'n', true],
  ['add_to_swap_cache', '{f} added to the swap cache, slot {v}', 'n', true],
  ['delete_from_swap_cache', '{f} deleted from the swap cache, slot {v}', 'n', true],
  ['swap_cache_lookup', 'swap cache lookup of slot {v}: {f}', 'n', true],
  ['swap_read_folio', 'read slot {v} into {f}', 'n', true],
  ['swap_write_submit', 'writeback of {f} to slot {v} submitted', 'n', true],
  ['swap_write_done', 'write of {f} to slot {v} complete', 'n', true],
  ['swap_write_torn', 'write of {f} to slot {v} complete: page changed in flight', 'n', true],
  // reclaim (rmap.c, vmscan.c)
  ['folio_referenced_one', 'folio_referenced({f}): young {v}', 'n', true],
  ['try_to_unmap_one', '{f} unmapped: swap PTE at {v}', 'n', true],
  ['try_to_unmap_one_restore', 'try_to_unmap({f}): PTE restored ({v})', 'n', true],
  ['try_to_unmap_one_discard', '{f} discarded (lazy-free, clean) at {v}', 'n', true],
  ['shrink_folio_list', 'shrink_folio_list: {v} freed', 'n', true],
  // faults and user accesses (memory.c, user.ts, fork.ts)
  ['handle_mm_fault', 'fault at {v}', 'n', true],
  ['do_swap_page', 'do_swap_page maps {f} ({v})', 'n', true],
  ['wp_page_reuse', 'do_wp_page: reuse {f}', 'none', true],
  ['wp_page_copy', 'do_wp_page: copy {f} into a new page', 'none', true],
  ['copy_page', 'copy page contents of {f}', 'none', false],
  ['user_load', 'load from {f}: {v}', 'n', true],
  ['user_store', 'store {v} into {f}', 'n', true],
  ['copy_pte', 'fork: PTE {v} copied', 'n', true],
  ['scenario_wait', 'wait for step {v}', 'n', false],
  ['swapcache_claim_wait', 'swap-in of the slot claimed by another fault: wait', 'n', true],
  ['scenario_post', 'step {v} done', 'n', false],
  // madvise (madvise.ts)
  ['madvise_free_pte', 'MADV_FREE: PTE {v} of {f} cleaned', 'n', true],
  ['zap_pte', 'MADV_DONTNEED: PTE {v} of {f} cleared', 'n', true],
  // ── GUP faulting in and unsharing (gup.ts, gup-fast.ts, memory-wp.ts) ──
  ['faultin_page', 'GUP faults in PTE {v}', 'n', true],
  ['gup_must_unshare', 'GUP: {f} may be shared → FAULT_FLAG_UNSHARE', 'none', true],
  ['wp_unshare_reuse', 'unshare: {f} is ours alone, now exclusive (PTE stays R/O)', 'none', true],
  ['gup_fast', 'GUP-fast took {f}', 'none', true],
  ['gup_fast_fallback', 'GUP-fast gives up ({v}): slow path', 'n', true],
  // ── readers for scenarios (observe.ts, rmap.ts) ──
  ['folio_data', 'read {f} through a reference: {v}', 'n', true],
  ['folio_mapcount', 'folio_mapcount({f}) = {v}', 'n', false],
  // mprotect (mprotect.ts)
  ['change_pte_range', 'mprotect: PTE {v} of {f} changed', 'n', true],
  // --memory tso (shm/store-buffer.ts): a flush step; {f} is the buffer's CPU, {v} the word stored
  ['store_buffer_flush', '(flush) {v}', 'addr', true],
  // ordering primitives on a scenario variable {x} (rwonce.ts), as the kernel's litmus tests use them
  ['read_once', 'READ_ONCE(var {x}) = {v}', 'n', true],
  ['write_once', 'WRITE_ONCE(var {x}, {v})', 'n', true],
  ['load_acquire', 'smp_load_acquire(var {x}) = {v}', 'n', true],
  ['store_release', 'smp_store_release(var {x}, {v})', 'n', true],
  ['smp_mb', 'smp_mb()', 'none', true],
] as const satisfies readonly (readonly [string, string, ValueKind, boolean])[];

export type SiteName = (typeof TABLE)[number][0];
export type SiteId = number & { readonly __site: unique symbol };

/** Site ids by name: `S.folio_get`. */
export const S = Object.freeze(Object.fromEntries(TABLE.map((row, i) => [row[0], i]))) as
  { readonly [K in SiteName]: SiteId };

export interface SiteInfo { name: SiteName; text: string; value: ValueKind; diagram: boolean }
export const SITES: readonly SiteInfo[] = TABLE.map(([name, text, value, diagram]) => ({ name, text, value, diagram }));
