// The patch switches: each one change of a real kernel (commit or posted proposal, KERNEL.md §0),
// with the mainline release it entered and, for one a later commit reverted, the release that no
// longer has it. Profiles (profile.ts) are sets of these; test/unit/kernel/timeline.test.ts checks
// every profile against these releases.

/** A mainline release, "MAJOR.MINOR" (e.g. "6.17", "7.3"). */
export type Release = `${number}.${number}`;

export interface PatchSwitch {
  readonly name: string;
  /** Commit id (12 hex) or where the proposal was posted. */
  readonly source: string;
  readonly title: string;
  /** What turning it on changes in the model. */
  readonly effect: string;
  /** The first mainline release that has it; null for a posting that was never merged. */
  readonly since: Release | null;
  /** The first mainline release that no longer has it (a revert), if any. */
  readonly until?: Release;
  /** Where `since`/`until` come from, when not from the source itself (docs/profiles.md "Timeline"). */
  readonly releaseFrom?: string;
  /**
   * It changes only what a weak memory model lets happen (docs/memory.md): the reports and failure
   * files of sc runs leave it out unless it is on, so that they stay as they were before it.
   */
  readonly weakMemory?: true;
}

export const PATCHES = [
  { name: 'folio-batch-31', source: '9cecde80aae0', since: '6.9', title: 'mm: increase folio batch size',
    effect: 'per-CPU batches hold 31 folios instead of 15' },
  { name: 'lru-clear-at-enqueue', source: '33dfe9204f29; reverted by afb99e9f5004', since: '6.11', until: '6.17',
    title: 'mm/gup: clear the LRU flag of a page before adding to LRU batch',
    effect: 'activate/deactivate/lazyfree/move_tail test-and-clear PG_lru when queueing, not when draining' },
  { name: 'ref-after-lru-test', source: 'yangge, Aug 2024; gone with afb99e9f5004', since: '6.12', until: '6.17',
    title: 'mm/swap: take folio refcount after testing the LRU flag',
    effect: 'with lru-clear-at-enqueue: the batch reference is taken only after winning PG_lru' },
  { name: 'deactivate-file-tests-lru', source: 'afb99e9f5004', since: '6.17',
    title: 'mm: revert "mm/gup: clear the LRU flag of a page before adding to LRU batch"',
    effect: 'deactivate_file_folio() also requires PG_lru before queueing, as the revert rewrote it' },
  { name: 'gup-always-drain', source: 'yangge, linux-mm 4 Jun 2024 (not merged)', since: null,
    title: "mm/gup: don't check page lru flag before draining it",
    effect: 'GUP collect calls lru_add_drain_all() once per call, whatever PG_lru says' },
  { name: 'gup-drain-refcount', source: '98c6d259319e', since: '6.17',
    title: 'mm/gup: check ref_count instead of lru before migration',
    effect: 'GUP collect drains when refcount != folio_expected_ref_count() + 1 instead of when !PG_lru' },
  { name: 'gup-local-drain-first', source: 'a09a8a1fbb37', since: '6.17',
    title: 'mm/gup: local lru_add_drain() to avoid lru_add_drain_all()',
    effect: 'with gup-drain-refcount: try lru_add_drain() first, lru_add_drain_all() only if still needed' },
  { name: 'drain-all-local-first', source: 'Hugh Dickins, v1 7/7, Aug 2025', since: '6.18',
    releaseFrom: 'read in a 6.18-era mm/swap.c, absent from 6.17 (docs/kernel-notes.md)',
    title: 'mm: lru_add_drain_all() do local lru_add_drain() first',
    effect: 'lru_add_drain_all() drains this CPU before taking its mutex' },
  { name: 'gup-collect-isolated-only', source: '1aaf8c122918; reverted by 517f496e1e61', since: '6.14', until: '6.16',
    title: 'mm: gup: fix infinite loop within __get_longterm_locked',
    effect: 'GUP check succeeds when no folio could be isolated, so a folio that was only temporarily off the LRU stays pinned' },
  { name: 'gup-drain-pin-refs', source: 'mainline 7.3-rc; 7.2.y ad41ca3534e6, 6.12.y 827c5bc53f21', since: '7.3',
    releaseFrom: 'not in v7.2: the 7.2.y stable push of 7 Sep 2026 backports it (docs/profiles.md)',
    title: 'mm/gup: fix always draining LRU caches in collect_longterm_unpinnable_folios()',
    effect: 'with gup-drain-refcount: compare with folio_expected_ref_count() + the pin\'s own references ' +
      '(GUP_PIN_COUNTING_BIAS for a small folio), so an unbatched pinned folio is not drained for' },
  // ── mlock (KERNEL.md §1.4, §3.4; src/kernel/mlock.ts, mlock-isolate.ts) ──
  { name: 'mlock-batch', source: '2fbb0c10d1e8 (Hugh Dickins\' mlock series)', since: '5.18',
    title: 'mm/munlock: mlock_page() munlock_page() batch by pagevec',
    effect: 'mlock and munlock queue the folio, with a reference, in a per-CPU mlock batch; mapping a folio ' +
      'into a VM_LOCKED vma mlocks it; before: mlock isolates the page and puts it back through lru_add, ' +
      'and a swap-in is not mlocked until reclaim finds it' },
  { name: 'swapin-new-anon-rmap', source: '9ae2feacedde', since: '6.11',
    releaseFrom: 'posted v2 18 Jun 2024, in the mm tree for the 6.11 merge window',
    title: 'mm: use folio_add_new_anon_rmap() if folio_test_anon(folio)==false',
    effect: 'with mlock-batch: do_swap_page() maps a folio that was never mapped (read in by this fault) with ' +
      'folio_add_new_anon_rmap(), which does not mlock it' },
  // ── write faults and swap-in (KERNEL.md §2.7, §2.8, §3.1, §3.2, §3.5) ──
  { name: 'fewer-fault-drains', source: 'Barry Song, 2026: "mm: entirely remove lru_add_drain in do_swap_page", ' +
      '"mm: avoid unnecessary lru drain for wp_can_reuse_anon_folio()"', since: '7.3',
    releaseFrom: 'in the mm-unstable revlists of mid-2026 beside the swap.c → folio.c rename; the release is inferred',
    title: 'remove redundant lru_add_drain() calls from the fault paths',
    effect: 'do_swap_page() no longer drains before its refcount test; wp_can_reuse_anon_folio() drains only when ' +
      'the refcount shows a reference beyond the PTE and the swap cache (the model\'s reading of the titles)' },
  { name: 'wp-reuse-swap-page', source: 'Liang Zhang, linux-mm 13 Jan 2022 (not merged)', since: null,
    title: 'mm: reuse the unshared swapcache page in do_wp_page',
    effect: 'do_wp_page() reuses a swap-cache page when reuse_swap_page() (mapcount + swap count <= 1) says so' },
  { name: 'wp-reuse-swapcache-count', source: 'Matthew Wilcox, reply of 13 Jan 2022 (not merged)', since: null,
    title: 'reuse iff page_count == 1 + PageSwapCache (alternative to Liang Zhang\'s patch)',
    effect: 'do_wp_page() reuses when the only references are our PTE and the swap cache; the swap cache is kept' },
  { name: 'wp-free-swapcache', source: '53a05ad9f21d', since: '5.18',
    title: 'mm: optimize do_wp_page() for exclusive pages in the swapcache',
    effect: 'do_wp_page() tries try_to_free_swap() on a locked swap-cache page before the refcount test' },
  { name: 'wp-local-drain', source: 'd4c470970d45', since: '5.18',
    title: 'mm: optimize do_wp_page() for fresh pages in local LRU pagevecs',
    effect: 'do_wp_page() copies at once when refcount > 3, and runs lru_add_drain() when !PageLRU' },
  { name: 'swapin-cow-refcount', source: 'c145e0b47c77', since: '5.18',
    title: 'mm: streamline COW logic in do_swap_page()',
    effect: 'do_swap_page() maps writable by refcount, frees the swap cache when likely exclusive, drains locally on write' },
  { name: 'anon-exclusive', source: '6c287605fd56, 78fbe906cc90', since: '5.19',
    title: 'mm: remember exclusively mapped anonymous pages with PG_anon_exclusive',
    effect: 'do_wp_page() reuses a PageAnonExclusive page at once; fork and swap-out clear the flag' },
  { name: 'swp-exclusive', source: '1493a1913e34', since: '5.19',
    title: 'mm/swap: remember PG_anon_exclusive via a swp pte bit',
    effect: 'swap-out keeps exclusivity in the swap PTE, fork clears it, do_swap_page() restores it' },
  { name: 'swp-exclusive-inverted', source: 'v1 15 Mar / v2 29 Mar 2022 postings of 1493a1913e34 (fixed before merge)', since: null,
    title: 'mm/swap: remember PG_anon_exclusive via a swp pte bit (as posted)',
    effect: 'with swp-exclusive: do_swap_page() drops exclusivity under writeback only when the device lacks SWP_STABLE_WRITES' },
  { name: 'swapin-free-after-map', source: '4b34f1d82c65; its revert posted 24 Jun 2026 (Kairui Song), not found merged',
    since: '7.0',
    releaseFrom: 'mm-stable of 1 Feb 2026 (v7.0 inferred); the mm tree @ f7e46797d672 still frees after mapping and ' +
      'maps writable only an exclusive folio, so 7.3 is taken to keep it (docs/corpus.md row 23)',
    title: 'mm, swap: free the swap cache after folio is mapped',
    effect: 'with swapin-cow-refcount: do_swap_page() tests the refcount with the swap cache\'s reference still held, so ' +
      'only an exclusive folio maps writable (a sole owner\'s write goes through do_wp_page()); the swap cache is freed ' +
      'after set_pte, and a fault mapped writable no longer counts as a write there' },
  { name: 'swapin-skip-cache-claim', source: '13ddaf26be32', since: '6.8',
    title: 'mm/swap: fix race when skipping swapcache',
    effect: 'a swap-in that skips the swap cache claims SWAP_HAS_CACHE first, so no other fault can reuse the slot meanwhile' },
  { name: 'gup-unshare', source: 'a7f226604170, c89357e27f20', since: '5.19',
    title: 'mm/gup: trigger FAULT_FLAG_UNSHARE when R/O-pinning a possibly shared anonymous page',
    effect: 'with anon-exclusive: a R/O FOLL_PIN of a !PageAnonExclusive page faults with FAULT_FLAG_UNSHARE first, ' +
      'which makes the page exclusive or copies it (mapped R/O), so the pin stays coherent with the page table' },
  { name: 'mprotect-writable-exclusive', source: '64fe24a3e05e', since: '6.0',
    title: 'mm/mprotect: try avoiding write faults for exclusive anonymous pages when changing protection',
    effect: 'mprotect(PROT_WRITE) maps the PTE of an exclusive anon page writable at once, unless soft-dirty tracking is armed' },
  // ── MADV_FREE and the reclaim of freed pages (KERNEL.md §2.10, §2.13, §3.3) ──
  { name: 'madvfree-lazyfree', source: '854e9ed09ded (v4.5), 802a3a92ad7a', since: '4.12',
    title: 'mm: support madvise(MADV_FREE); mm: reclaim MADV_FREE pages',
    effect: 'MADV_FREE cleans the PTEs and PG_dirty and queues the folio in the lazyfree batch, whose drain clears ' +
      'PG_swapbacked; try_to_unmap_one() discards a lazy-free folio if it is clean, else makes it swap-backed again' },
  { name: 'lazyfree-refcheck', source: '6c8e2a256915', since: '5.18',
    title: 'mm: fix race between MADV_FREE reclaim and blkdev direct IO read',
    effect: 'try_to_unmap_one() discards a clean lazy-free folio only if refcount == 1 + mapcount; otherwise it ' +
      'restores the PTE and makes the folio swap-backed again' },
  { name: 'lazyfree-swapbacked-if-dirty', source: 'Barry Song, v4 14 Feb 2025', since: '6.15',
    releaseFrom: 'in the mm revlists of early 2025 (docs/corpus.md row 3)',
    title: 'mm: set folio swapbacked iff folios are dirty in try_to_unmap_one',
    effect: 'with lazyfree-refcheck: an extra reference only restores the PTE; the folio stays lazy-free unless dirty' },
  { name: 'lazyfree-caller-batch', source: 'linux-mm/linux-mm mm/folio.c @ 0a99d0b06974', since: '7.3',
    releaseFrom: 'the 7.3-rc5 mm tree; an earlier folio.c of that tree (@ 336e90c7dfee) still has the per-CPU batch',
    title: 'folio_mark_lazyfree(fbatch, folio) and fbatch_drain_lazyfree()',
    effect: 'with madvfree-lazyfree: MADV_FREE gathers folios in a batch of its own, without references, and moves ' +
      'them to the lazy-free list before it drops the page-table lock; no per-CPU lru_lazyfree batch' },
  // ── weak memory (--memory tso, docs/memory.md) ──
  { name: 'lazyfree-refcheck-no-mb', source: '6c8e2a256915 without its smp_mb()', since: null, weakMemory: true,
    title: 'mm: fix race between MADV_FREE reclaim and blkdev direct IO read, less its barrier',
    effect: 'with lazyfree-refcheck: try_to_unmap_one() reads the refcount right after clearing the PTE, with no smp_mb() ' +
      'between (the pairing with GUP-fast\'s fully ordered try-get is gone)' },
  { name: 'ptep-get-and-clear-generic', source: 'include/linux/pgtable.h ptep_get_and_clear() (generic)', since: null,
    weakMemory: true, title: 'ptep_get_and_clear() of an architecture without __HAVE_ARCH_PTEP_GET_AND_CLEAR',
    effect: 'try_to_unmap_one() clears a PTE with a load and a store (pte_clear()) instead of x86\'s locked xchg, so under ' +
      '--memory tso the cleared PTE waits in the store buffer' },
  { name: 'madvfree-2014-v3', source: 'Minchan Kim, linux-mm Apr 2014 (v3; v4-v6 same rule; not merged)', since: null,
    title: 'mm: support madvise(MADV_FREE)',
    effect: 'MADV_FREE only cleans the PTEs; reclaim discards an anon page with clean PTEs that is neither PG_dirty nor ' +
      'in the swap cache, re-checked with the dirty bit try_to_unmap_one() clears' },
  { name: 'madvfree-naive-pte', source: 'the rule the review of the 2014 postings rejected (never merged)', since: null,
    title: 'discard an anon page iff its PTEs are clean',
    effect: 'MADV_FREE only cleans the PTEs; reclaim discards any anon page whose PTEs were clean at its reference check, ' +
      'whatever the PTE or the page says at unmap time' },
] as const satisfies readonly PatchSwitch[];

export type PatchName = (typeof PATCHES)[number]['name'];
export type PatchSet = Record<PatchName, boolean>;

/** Every switch, on where `on` names it. */
export function patchSet(on: readonly PatchName[]): PatchSet {
  const set = {} as PatchSet;
  for (const p of PATCHES) set[p.name] = on.includes(p.name);
  return set;
}

/** "6.9" → [6, 9]. */
function releaseParts(r: string): [number, number] {
  const parts = /^(\d+)\.(\d+)$/.exec(r);
  if (!parts) throw new Error(`not a mainline release: "${r}"`);
  return [Number(parts[1]), Number(parts[2])];
}

/** Negative, zero or positive as release `a` is older than, the same as, or newer than `b`. */
export function compareReleases(a: string, b: string): number {
  const [a1, a2] = releaseParts(a);
  const [b1, b2] = releaseParts(b);
  return a1 !== b1 ? a1 - b1 : a2 - b2;
}
