// What the model deliberately does not model, one line of reason each. Nothing here runs: it keeps
// "simplified" and "absent" visible next to the code that is modelled.
export const NOT_MODELLED = {
  memcg: 'one lruvec, one node: lru_lock is per lruvec and the races studied do not depend on memcg',
  mglru: 'classic active/inactive lists; MGLRU only matters for V15 (0885ef470560), not modelled yet',
  largeFolios: 'small folios only: folio_may_be_lru_cached() is always true, FOLL_PIN adds the 1024 bias',
  mlockCount: 'folio->mlock_count is not kept; the mlock batch moves folios but does not count',
  bufferHeads: 'lru_add_drain_cpu() does not invalidate buffer-head LRUs (no filesystem)',
  gupFault: 'GUP does not fault pages in: an empty PTE is -EFAULT (scenarios map their pages in setup)',
  vmLocked: 'no VM_LOCKED vmas: faults use folio_add_lru(), never mlock_new_folio() via folio_add_lru_vma()',
  migrationSwapcache: 'migration of a swap-cache folio throws "not modelled" (swap arrives with the swap issue)',
  lruCacheDisable: 'lru_cache_disable() is not called by any path yet; lru_disable_count is honoured',
  hotplug: 'all CPUs stay online; no lru_add_drain_cpu() of a dead CPU',
  madvFreeM3: 'every mainline profile has the v6.15 lazy-free unmap (M3 refcount check, M4 no re-swapbacking on a ref); 4.12–5.17 lacked both',
  addToSwapClean: 'add_to_swap() always marks the folio dirty; a switch to drop that line (KERNEL.md §3.3 interleaving 4) is not modelled',
  zapMigration: 'MADV_DONTNEED leaves a migration entry in place (no scenario zaps a page under migration)',
  madvise2014Shared: 'the 2014 discard rule is modelled for pages mapped once; v3 with a page discarded in one mapping and dirty in another is not',
} as const;
