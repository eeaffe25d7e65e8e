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
} as const;
