// Kernel profiles: each is a set of named patch switches, each switch one change of a real kernel
// (commit or posted proposal, KERNEL.md §0). `--kernel 6.10 --patch NAME=on` composes.

/** What the model reads on its hot paths, resolved once per run from the switches. */
export interface KernelSwitches {
  readonly batchSize: number;
  readonly lruClearAtEnqueue: boolean;
  readonly refAfterLruTest: boolean;
  readonly deactivateFileTestsLru: boolean;
  readonly gupAlwaysDrain: boolean;
  readonly gupDrainOnRefcount: boolean;
  readonly gupLocalDrainFirst: boolean;
  readonly drainAllLocalFirst: boolean;
  readonly wpReuseSwapPage: boolean;
  readonly wpReuseSwapcacheCount: boolean;
  readonly wpLocalDrain: boolean;
  readonly wpFreeSwapcache: boolean;
  readonly swapinCowRefcount: boolean;
  readonly anonExclusive: boolean;
  readonly swpExclusive: boolean;
  readonly swpExclusiveInverted: boolean;
  readonly swapinSkipCacheClaim: boolean;
  readonly gupCollectIsolatedOnly: boolean;
  readonly gupDrainPinRefs: boolean;
  readonly lazyfreeRefcheck: boolean;
  readonly lazyfreeSwapbackedIfDirty: boolean;
  /** Weak memory: try_to_unmap_one() without 6c8e2a256915's smp_mb(). */
  readonly lazyfreeRefcheckNoMb: boolean;
  /** Weak memory: ptep_get_and_clear() as include/linux/pgtable.h's generic load and pte_clear(). */
  readonly ptepGetAndClearGeneric: boolean;
  /** A R/O FOLL_PIN of a possibly shared anon page unshares it first (gup-unshare with anon-exclusive). */
  readonly gupUnshare: boolean;
  readonly mprotectWritableExclusive: boolean;
  /** Which MADV_FREE the kernel has, and so which discard rule reclaim applies (MadvFree). */
  readonly madvFree: MadvFreeRule;
}

/**
 * MADV_FREE as each kernel or posting has it (KERNEL.md §2.13, §3.3). NONE: madvise(MADV_FREE)
 * is -EINVAL, as before v4.5. When several switches are on, the order of PATCHES decides: the
 * naive rule, then v3, then mainline.
 */
export const MadvFree = { NONE: 0, LAZYFREE: 1, V3_2014: 2, NAIVE_PTE: 3 } as const;
export type MadvFreeRule = (typeof MadvFree)[keyof typeof MadvFree];

export interface PatchSwitch {
  readonly name: string;
  /** Commit id (12 hex) or where the proposal was posted. */
  readonly source: string;
  readonly title: string;
  /** What turning it on changes in the model. */
  readonly effect: string;
  /**
   * It changes only what a weak memory model lets happen: it may be turned on under --memory tso
   * only, and the reports and failure files of sc runs leave it out (they stay as before it).
   */
  readonly weakMemory?: true;
}

export const PATCHES = [
  { name: 'folio-batch-31', source: '9cecde80aae0 (v6.9)', title: 'mm: increase folio batch size',
    effect: 'per-CPU batches hold 31 folios instead of 15' },
  { name: 'lru-clear-at-enqueue', source: '33dfe9204f29 (v6.11, reverted in v6.17)',
    title: 'mm/gup: clear the LRU flag of a page before adding to LRU batch',
    effect: 'activate/deactivate/lazyfree/move_tail test-and-clear PG_lru when queueing, not when draining' },
  { name: 'ref-after-lru-test', source: 'yangge, Aug 2024 (v6.12)',
    title: 'mm/swap: take folio refcount after testing the LRU flag',
    effect: 'with lru-clear-at-enqueue: the batch reference is taken only after winning PG_lru' },
  { name: 'deactivate-file-tests-lru', source: 'afb99e9f5004 (v6.17)',
    title: 'mm: revert "mm/gup: clear the LRU flag of a page before adding to LRU batch"',
    effect: 'deactivate_file_folio() also requires PG_lru before queueing, as the revert rewrote it' },
  { name: 'gup-always-drain', source: 'yangge, linux-mm 4 Jun 2024 (not merged)',
    title: "mm/gup: don't check page lru flag before draining it",
    effect: 'GUP collect calls lru_add_drain_all() once per call, whatever PG_lru says' },
  { name: 'gup-drain-refcount', source: '98c6d259319e (v6.17)',
    title: 'mm/gup: check ref_count instead of lru before migration',
    effect: 'GUP collect drains when refcount != folio_expected_ref_count() + 1 instead of when !PG_lru' },
  { name: 'gup-local-drain-first', source: 'a09a8a1fbb37 (v6.17)',
    title: 'mm/gup: local lru_add_drain() to avoid lru_add_drain_all()',
    effect: 'with gup-drain-refcount: try lru_add_drain() first, lru_add_drain_all() only if still needed' },
  { name: 'drain-all-local-first', source: 'Hugh Dickins, v1 7/7, Aug 2025 (linux-next)',
    title: 'mm: lru_add_drain_all() do local lru_add_drain() first',
    effect: 'lru_add_drain_all() drains this CPU before taking its mutex' },
  { name: 'gup-collect-isolated-only', source: '1aaf8c122918 (v6.14; reverted by 517f496e1e61, v6.16)',
    title: 'mm: gup: fix infinite loop within __get_longterm_locked',
    effect: 'GUP check succeeds when no folio could be isolated, so a folio that was only temporarily off the LRU stays pinned' },
  { name: 'gup-drain-pin-refs', source: 'akpm/mm mm-unstable, 2026 (not in a release)',
    title: 'mm/gup: fix always draining LRU caches in collect_longterm_unpinnable_folios()',
    effect: 'with gup-drain-refcount: compare with folio_expected_ref_count() + the pin\'s own references ' +
      '(GUP_PIN_COUNTING_BIAS for a small folio), so an unbatched pinned folio is not drained for' },
  // ── write faults and swap-in (KERNEL.md §2.7, §2.8, §3.1, §3.2, §3.5) ──
  { name: 'wp-reuse-swap-page', source: 'Liang Zhang, linux-mm 13 Jan 2022 (not merged)',
    title: 'mm: reuse the unshared swapcache page in do_wp_page',
    effect: 'do_wp_page() reuses a swap-cache page when reuse_swap_page() (mapcount + swap count <= 1) says so' },
  { name: 'wp-reuse-swapcache-count', source: 'Matthew Wilcox, reply of 13 Jan 2022 (not merged)',
    title: 'reuse iff page_count == 1 + PageSwapCache (alternative to Liang Zhang\'s patch)',
    effect: 'do_wp_page() reuses when the only references are our PTE and the swap cache; the swap cache is kept' },
  { name: 'wp-free-swapcache', source: '53a05ad9f21d (v5.18)',
    title: 'mm: optimize do_wp_page() for exclusive pages in the swapcache',
    effect: 'do_wp_page() tries try_to_free_swap() on a locked swap-cache page before the refcount test' },
  { name: 'wp-local-drain', source: 'd4c470970d45 (v5.18)',
    title: 'mm: optimize do_wp_page() for fresh pages in local LRU pagevecs',
    effect: 'do_wp_page() copies at once when refcount > 3, and runs lru_add_drain() when !PageLRU' },
  { name: 'swapin-cow-refcount', source: 'c145e0b47c77 (v5.18)',
    title: 'mm: streamline COW logic in do_swap_page()',
    effect: 'do_swap_page() maps writable by refcount, frees the swap cache when likely exclusive, drains locally on write' },
  { name: 'anon-exclusive', source: '6c287605fd56, 78fbe906cc90 (v5.19)',
    title: 'mm: remember exclusively mapped anonymous pages with PG_anon_exclusive',
    effect: 'do_wp_page() reuses a PageAnonExclusive page at once; fork and swap-out clear the flag' },
  { name: 'swp-exclusive', source: '1493a1913e34 (v5.19)',
    title: 'mm/swap: remember PG_anon_exclusive via a swp pte bit',
    effect: 'swap-out keeps exclusivity in the swap PTE, fork clears it, do_swap_page() restores it' },
  { name: 'swp-exclusive-inverted', source: 'v1 15 Mar / v2 29 Mar 2022 postings of 1493a1913e34 (fixed before merge)',
    title: 'mm/swap: remember PG_anon_exclusive via a swp pte bit (as posted)',
    effect: 'with swp-exclusive: do_swap_page() drops exclusivity under writeback only when the device lacks SWP_STABLE_WRITES' },
  { name: 'swapin-skip-cache-claim', source: '13ddaf26be32 (v6.8)',
    title: 'mm/swap: fix race when skipping swapcache',
    effect: 'a swap-in that skips the swap cache claims SWAP_HAS_CACHE first, so no other fault can reuse the slot meanwhile' },
  { name: 'gup-unshare', source: 'a7f226604170, c89357e27f20 (v5.19)',
    title: 'mm/gup: trigger FAULT_FLAG_UNSHARE when R/O-pinning a possibly shared anonymous page',
    effect: 'with anon-exclusive: a R/O FOLL_PIN of a !PageAnonExclusive page faults with FAULT_FLAG_UNSHARE first, ' +
      'which makes the page exclusive or copies it (mapped R/O), so the pin stays coherent with the page table' },
  { name: 'mprotect-writable-exclusive', source: '64fe24a3e05e (v6.0)',
    title: 'mm/mprotect: try avoiding write faults for exclusive anonymous pages when changing protection',
    effect: 'mprotect(PROT_WRITE) maps the PTE of an exclusive anon page writable at once, unless soft-dirty tracking is armed' },
  // ── MADV_FREE and the reclaim of freed pages (KERNEL.md §2.10, §2.13, §3.3) ──
  { name: 'madvfree-lazyfree', source: '854e9ed09ded (v4.5), 802a3a92ad7a (v4.12)',
    title: 'mm: support madvise(MADV_FREE); mm: reclaim MADV_FREE pages',
    effect: 'MADV_FREE cleans the PTEs and PG_dirty and queues the folio in the lazyfree batch, whose drain clears ' +
      'PG_swapbacked; try_to_unmap_one() discards a lazy-free folio if it is clean, else makes it swap-backed again' },
  { name: 'lazyfree-refcheck', source: '6c8e2a256915 (v5.18)',
    title: 'mm: fix race between MADV_FREE reclaim and blkdev direct IO read',
    effect: 'try_to_unmap_one() discards a clean lazy-free folio only if refcount == 1 + mapcount; otherwise it ' +
      'restores the PTE and makes the folio swap-backed again' },
  { name: 'lazyfree-swapbacked-if-dirty', source: 'Barry Song, v4 14 Feb 2025 (v6.15)',
    title: 'mm: set folio swapbacked iff folios are dirty in try_to_unmap_one',
    effect: 'with lazyfree-refcheck: an extra reference only restores the PTE; the folio stays lazy-free unless dirty' },
  // ── weak memory (--memory tso only, docs/memory.md) ──
  { name: 'lazyfree-refcheck-no-mb', source: '6c8e2a256915 (v5.18) without its smp_mb()',
    title: 'mm: fix race between MADV_FREE reclaim and blkdev direct IO read, less its barrier',
    effect: 'with lazyfree-refcheck: try_to_unmap_one() reads the refcount right after clearing the PTE, with no smp_mb() ' +
      'between (the pairing with GUP-fast\'s fully ordered try-get is gone)', weakMemory: true },
  { name: 'ptep-get-and-clear-generic', source: 'include/linux/pgtable.h ptep_get_and_clear() (generic)',
    title: 'ptep_get_and_clear() of an architecture without __HAVE_ARCH_PTEP_GET_AND_CLEAR',
    effect: 'try_to_unmap_one() clears a PTE with a load and a store (pte_clear()) instead of x86\'s locked xchg, so under ' +
      '--memory tso the cleared PTE waits in the store buffer', weakMemory: true },
  { name: 'madvfree-2014-v3', source: 'Minchan Kim, linux-mm Apr 2014 (v3; v4-v6 same rule; not merged)',
    title: 'mm: support madvise(MADV_FREE)',
    effect: 'MADV_FREE only cleans the PTEs; reclaim discards an anon page with clean PTEs that is neither PG_dirty nor ' +
      'in the swap cache, re-checked with the dirty bit try_to_unmap_one() clears' },
  { name: 'madvfree-naive-pte', source: 'the rule the review of the 2014 postings rejected (never merged)',
    title: 'discard an anon page iff its PTEs are clean',
    effect: 'MADV_FREE only cleans the PTEs; reclaim discards any anon page whose PTEs were clean at its reference check, ' +
      'whatever the PTE or the page says at unmap time' },
] as const satisfies readonly PatchSwitch[];

export type PatchName = (typeof PATCHES)[number]['name'];
export type PatchSet = Record<PatchName, boolean>;

export interface Profile {
  readonly name: string;
  readonly summary: string;
  readonly patches: Readonly<PatchSet>;
}

function patchSet(on: readonly PatchName[]): PatchSet {
  const set = {} as PatchSet;
  for (const p of PATCHES) set[p.name] = on.includes(p.name);
  return set;
}

const V4_12 = ['madvfree-lazyfree'] as const;
const V5_18 = [...V4_12, 'lazyfree-refcheck', 'wp-free-swapcache', 'wp-local-drain', 'swapin-cow-refcount'] as const;
const V5_19 = [...V5_18, 'anon-exclusive', 'swp-exclusive', 'gup-unshare'] as const;
const V6_8 = [...V5_19, 'mprotect-writable-exclusive', 'swapin-skip-cache-claim'] as const;
const V6_12 = [...V6_8, 'folio-batch-31', 'lru-clear-at-enqueue', 'ref-after-lru-test'] as const;
const V6_17 = [...V6_8, 'folio-batch-31', 'lazyfree-swapbacked-if-dirty', 'deactivate-file-tests-lru',
  'gup-drain-refcount', 'gup-local-drain-first'] as const;

export const PROFILES: readonly Profile[] = [
  { name: '3.14-madvfree-naive', summary: 'MADV_FREE with the naive rule: reclaim discards any anon page whose PTEs look clean',
    patches: patchSet(['madvfree-naive-pte']) },
  { name: '3.14-madvfree-v3', summary: 'Minchan Kim\'s MADV_FREE v3 (Apr 2014): discard only clean, !PG_dirty, !swapcache pages',
    patches: patchSet(['madvfree-2014-v3']) },
  { name: '5.17', summary: 'do_wp_page reuses only at page_count 1; do_swap_page asks reuse_swap_page()',
    patches: patchSet([...V4_12]) },
  { name: '5.17-liang', summary: '5.17 with Liang Zhang\'s reuse_swap_page() reuse in do_wp_page (Jan 2022, not merged)',
    patches: patchSet([...V4_12, 'wp-reuse-swap-page']) },
  { name: '5.17-willy', summary: '5.17 with Willy\'s page_count == 1 + PageSwapCache reuse (Jan 2022, not merged)',
    patches: patchSet([...V4_12, 'wp-reuse-swapcache-count']) },
  { name: '5.18', summary: 'COW fixes part 1: refcount-based reuse, local drain, swap cache freed on write fault',
    patches: patchSet([...V5_18]) },
  { name: '5.19-swp-v2', summary: '5.19 with the swp pte exclusive bit as posted: stable-writes test inverted',
    patches: patchSet([...V5_19, 'swp-exclusive-inverted']) },
  { name: '5.19', summary: 'PG_anon_exclusive, remembered in the swap PTE (1493a1913e34 as merged)',
    patches: patchSet([...V5_19]) },
  { name: '6.10', summary: 'PG_lru cleared at drain time; GUP drains all CPUs only for a !PG_lru folio',
    patches: patchSet([...V6_8, 'folio-batch-31']) },
  { name: '6.11', summary: 'non-add batches clear PG_lru when queueing (33dfe9204f29)',
    patches: patchSet([...V6_8, 'folio-batch-31', 'lru-clear-at-enqueue']) },
  { name: '6.14', summary: '6.11 with the v6.12 reference order and 1aaf8c122918 (pin succeeds if nothing was isolated)',
    patches: patchSet([...V6_12, 'gup-collect-isolated-only']) },
  { name: '6.16', summary: 'the tree before Hugh Dickins\' 2025 series: 33dfe9204f29 (+6.12), 1aaf8c122918 reverted',
    patches: patchSet([...V6_12, 'lazyfree-swapbacked-if-dirty']) },
  { name: '6.17', summary: '33dfe9204f29 reverted; GUP drains by refcount, locally first (Hugh Dickins 2025)',
    patches: patchSet([...V6_17]) },
  { name: 'mm-unstable-2026', summary: 'akpm/mm mm-unstable, Aug 2026: 6.17 with the pin-refs drain fix and local-first drain_all',
    patches: patchSet([...V6_17, 'gup-drain-pin-refs', 'drain-all-local-first']) },
];

export const NEWEST_PROFILE = '6.17';

/** Thrown for a profile or patch the user named that does not exist (a usage error). */
export class ProfileError extends Error {
  override readonly name = 'ProfileError';
}

/** The profile `name` with `overrides` applied. */
export function resolveProfile(name: string, overrides: Partial<Record<string, boolean>> = {}): Profile {
  const base = PROFILES.find((p) => p.name === name);
  if (!base) {
    throw new ProfileError(`unknown kernel profile "${name}"; known: ${PROFILES.map((p) => p.name).join(', ')} (see foliorace kernels)`);
  }
  const patches = { ...base.patches };
  for (const [k, v] of Object.entries(overrides)) {
    if (!Object.hasOwn(patches, k)) { // own keys only: "constructor" is not a switch
      throw new ProfileError(`unknown patch switch "${k}"; known: ${PATCHES.map((p) => p.name).join(', ')}`);
    }
    patches[k as PatchName] = v === true;
  }
  return { name: base.name, summary: base.summary, patches };
}

/** The switches the model reads, from a resolved profile. */
export function kernelSwitches(p: Profile): KernelSwitches {
  const on = p.patches;
  return {
    batchSize: on['folio-batch-31'] ? 31 : 15,
    lruClearAtEnqueue: on['lru-clear-at-enqueue'],
    refAfterLruTest: on['ref-after-lru-test'],
    deactivateFileTestsLru: on['deactivate-file-tests-lru'],
    gupAlwaysDrain: on['gup-always-drain'],
    gupDrainOnRefcount: on['gup-drain-refcount'],
    gupLocalDrainFirst: on['gup-local-drain-first'],
    drainAllLocalFirst: on['drain-all-local-first'],
    wpReuseSwapPage: on['wp-reuse-swap-page'],
    wpReuseSwapcacheCount: on['wp-reuse-swapcache-count'],
    wpLocalDrain: on['wp-local-drain'],
    wpFreeSwapcache: on['wp-free-swapcache'],
    swapinCowRefcount: on['swapin-cow-refcount'],
    anonExclusive: on['anon-exclusive'],
    swpExclusive: on['swp-exclusive'],
    swpExclusiveInverted: on['swp-exclusive-inverted'],
    swapinSkipCacheClaim: on['swapin-skip-cache-claim'],
    gupCollectIsolatedOnly: on['gup-collect-isolated-only'],
    gupDrainPinRefs: on['gup-drain-pin-refs'],
    lazyfreeRefcheck: on['lazyfree-refcheck'],
    lazyfreeSwapbackedIfDirty: on['lazyfree-swapbacked-if-dirty'],
    lazyfreeRefcheckNoMb: on['lazyfree-refcheck-no-mb'],
    ptepGetAndClearGeneric: on['ptep-get-and-clear-generic'],
    gupUnshare: on['gup-unshare'] && on['anon-exclusive'],
    mprotectWritableExclusive: on['mprotect-writable-exclusive'],
    madvFree: on['madvfree-naive-pte'] ? MadvFree.NAIVE_PTE : on['madvfree-2014-v3'] ? MadvFree.V3_2014
      : on['madvfree-lazyfree'] ? MadvFree.LAZYFREE : MadvFree.NONE,
  };
}
