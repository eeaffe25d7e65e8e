// Kernel profiles: each is a set of named patch switches (patches.ts), each switch one change of a
// real kernel (commit or posted proposal, KERNEL.md §0). `--kernel 6.10 --patch NAME=on` composes.
import { PATCHES, patchSet, type PatchName, type PatchSet, type Release } from './patches.js';
import { STABLE_PROFILES } from './stable-profiles.js';

export { PATCHES, patchSet, type PatchName, type PatchSet, type PatchSwitch, type Release } from './patches.js';

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
  /** mlock and munlock go through the per-CPU mlock batch, and mapping into a VM_LOCKED vma mlocks (5.18). */
  readonly mlockBatch: boolean;
  /** A swap-in of a never-mapped folio takes folio_add_new_anon_rmap(), which does not mlock (6.11, with mlockBatch). */
  readonly swapinNewAnonRmap: boolean;
  /** MADV_FREE moves folios to the lazy-free list through its own batch, under the PTL (7.3). */
  readonly lazyfreeCallerBatch: boolean;
  /** do_swap_page() frees the swap cache only after mapping, so its refcount test sees the cache's reference (7.0). */
  readonly swapinFreeAfterMap: boolean;
  /** Faults drain less: none in do_swap_page(), and in wp_can_reuse_anon_folio() only for an extra reference (2026). */
  readonly fewerFaultDrains: boolean;
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

/** A stable tree's change to its mainline base: a backported commit (on) or backported revert (off). */
export interface Backport {
  readonly patch: PatchName;
  readonly on: boolean;
  /** The stable commit, or the stable review or push mail, it was read from. */
  readonly from: string;
}

export interface Profile {
  readonly name: string;
  readonly summary: string;
  readonly patches: Readonly<PatchSet>;
  /** The mainline release the profile is, or starts from (its switches by PATCHES' since/until). */
  readonly base: Release;
  /** Postings (never merged) the profile turns on: a proposal's profile. */
  readonly postings?: readonly PatchName[];
  /** A stable tree's backports, each with where it was read (stable-profiles.ts). */
  readonly backports?: readonly Backport[];
}

// Mainline, release by release (each list is the one before it plus what that release added).
const V4_12 = ['madvfree-lazyfree'] as const;
const V5_18 = [...V4_12, 'lazyfree-refcheck', 'wp-free-swapcache', 'wp-local-drain', 'swapin-cow-refcount', 'mlock-batch'] as const;
const V5_19 = [...V5_18, 'anon-exclusive', 'swp-exclusive', 'gup-unshare'] as const;
const V6_8 = [...V5_19, 'mprotect-writable-exclusive', 'swapin-skip-cache-claim'] as const;
const V6_10 = [...V6_8, 'folio-batch-31'] as const;
const V6_11 = [...V6_10, 'swapin-new-anon-rmap', 'lru-clear-at-enqueue'] as const;
const V6_14 = [...V6_11, 'ref-after-lru-test', 'gup-collect-isolated-only'] as const;
const V6_16 = [...V6_11, 'ref-after-lru-test', 'lazyfree-swapbacked-if-dirty'] as const;
const V6_17 = [...V6_10, 'swapin-new-anon-rmap', 'lazyfree-swapbacked-if-dirty', 'deactivate-file-tests-lru',
  'gup-drain-refcount', 'gup-local-drain-first'] as const;
const V7_3 = [...V6_17, 'drain-all-local-first', 'gup-drain-pin-refs', 'lazyfree-caller-batch', 'fewer-fault-drains',
  'swapin-free-after-map'] as const;

/** The mainline profiles and the postings' profiles, oldest first; then the stable trees'. */
export const PROFILES: readonly Profile[] = [
  { name: '3.14-madvfree-naive', base: '3.14', postings: ['madvfree-naive-pte'],
    summary: 'MADV_FREE with the naive rule: reclaim discards any anon page whose PTEs look clean',
    patches: patchSet(['madvfree-naive-pte']) },
  { name: '3.14-madvfree-v3', base: '3.14', postings: ['madvfree-2014-v3'],
    summary: 'Minchan Kim\'s MADV_FREE v3 (Apr 2014): discard only clean, !PG_dirty, !swapcache pages',
    patches: patchSet(['madvfree-2014-v3']) },
  { name: '5.17', base: '5.17', summary: 'do_wp_page reuses only at page_count 1; do_swap_page asks reuse_swap_page(); mlock isolates, no batch',
    patches: patchSet([...V4_12]) },
  { name: '5.17-liang', base: '5.17', postings: ['wp-reuse-swap-page'],
    summary: '5.17 with Liang Zhang\'s reuse_swap_page() reuse in do_wp_page (Jan 2022, not merged)',
    patches: patchSet([...V4_12, 'wp-reuse-swap-page']) },
  { name: '5.17-willy', base: '5.17', postings: ['wp-reuse-swapcache-count'],
    summary: '5.17 with Willy\'s page_count == 1 + PageSwapCache reuse (Jan 2022, not merged)',
    patches: patchSet([...V4_12, 'wp-reuse-swapcache-count']) },
  { name: '5.18', base: '5.18', summary: 'COW fixes part 1: refcount-based reuse, local drain, swap cache freed on write fault; the mlock batch',
    patches: patchSet([...V5_18]) },
  { name: '5.19-swp-v2', base: '5.19', postings: ['swp-exclusive-inverted'],
    summary: '5.19 with the swp pte exclusive bit as posted: stable-writes test inverted',
    patches: patchSet([...V5_19, 'swp-exclusive-inverted']) },
  { name: '5.19', base: '5.19', summary: 'PG_anon_exclusive, remembered in the swap PTE (1493a1913e34 as merged)',
    patches: patchSet([...V5_19]) },
  { name: '6.10', base: '6.10', summary: 'PG_lru cleared at drain time; GUP drains all CPUs only for a !PG_lru folio',
    patches: patchSet([...V6_10]) },
  { name: '6.11', base: '6.11', summary: 'non-add batches clear PG_lru when queueing (33dfe9204f29)',
    patches: patchSet([...V6_11]) },
  { name: '6.14', base: '6.14', summary: '6.11 with the v6.12 reference order and 1aaf8c122918 (pin succeeds if nothing was isolated)',
    patches: patchSet([...V6_14]) },
  { name: '6.16', base: '6.16', summary: 'the tree before Hugh Dickins\' 2025 series: 33dfe9204f29 (+6.12), 1aaf8c122918 reverted',
    patches: patchSet([...V6_16]) },
  { name: '6.17', base: '6.17', summary: '33dfe9204f29 reverted; GUP drains by refcount, locally first (Hugh Dickins 2025)',
    patches: patchSet([...V6_17]) },
  { name: '7.3', base: '7.3', summary: 'the first release with the pin-refs drain fix; drain_all drains locally first; MADV_FREE uses its own batch',
    patches: patchSet([...V7_3]) },
  ...STABLE_PROFILES,
];

export const NEWEST_PROFILE = '7.3';

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
  return { ...base, patches };
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
    mlockBatch: on['mlock-batch'],
    swapinNewAnonRmap: on['swapin-new-anon-rmap'] && on['mlock-batch'],
    lazyfreeCallerBatch: on['lazyfree-caller-batch'],
    fewerFaultDrains: on['fewer-fault-drains'],
    swapinFreeAfterMap: on['swapin-free-after-map'] && on['swapin-cow-refcount'],
    madvFree: on['madvfree-naive-pte'] ? MadvFree.NAIVE_PTE : on['madvfree-2014-v3'] ? MadvFree.V3_2014
      : on['madvfree-lazyfree'] ? MadvFree.LAZYFREE : MadvFree.NONE,
  };
}
