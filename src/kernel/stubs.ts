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
  migrationSwapcache: 'migration of a swap-cache folio throws "not modelled"',
  swapDevices: 'one swap device, no swap continuation counts (SWAP_MAP_MAX), no cluster allocator, no swapoff',
  swapReadahead: 'swap-in reads only the faulting slot (no readahead window), synchronously',
  syncSwapAfter63: 'the synchronous device is 5.x zram (rw_page: writeback ends before unlock); the >=6.3 sync-bio path that unlocks first is not modelled',
  swapFull: 'vm_swap_full()/mem_cgroup_swap_full() are false: faults never free the swap cache for that reason',
  ksm: 'no KSM pages: the KSM tests of do_wp_page() and do_swap_page() are always false',
  forkCorners: 'fork() of a PTE under migration, or of a possibly pinned exclusive page (copied at fork), throws "not modelled"',
  swapinWritable: 'do_swap_page() maps writable only on a write fault (5.19); the later "writable when the VMA is" change is not modelled',
  lruCacheDisable: 'lru_cache_disable() is not called by any path yet; lru_disable_count is honoured',
  hotplug: 'all CPUs stay online; no lru_add_drain_cpu() of a dead CPU',
} as const;
