// Profiles of stable (LTS) trees at named point releases: a mainline base plus the fixes and
// reverts that were backported to it, each with the stable commit or the review or push mail it was
// read from (docs/profiles.md "Stable trees"; index ids are the search index's). Stable releases
// are cumulative: a point release carries what its tree's queue held before it.
import { patchSet, type PatchName } from './patches.js';
import type { Backport, Profile } from './profile.js';

// 6.1 and 6.6 (mainline 6.1/6.6: mlock batch, PG_anon_exclusive, PG_lru cleared at drain, 15-folio
// batches; 6.6 also has mprotect-writable-exclusive, as 6.1 does) before any backport.
const V6_1 = ['madvfree-lazyfree', 'lazyfree-refcheck', 'wp-free-swapcache', 'wp-local-drain', 'swapin-cow-refcount',
  'mlock-batch', 'anon-exclusive', 'swp-exclusive', 'gup-unshare', 'mprotect-writable-exclusive'] as const;
const V6_12 = [...V6_1, 'swapin-skip-cache-claim', 'folio-batch-31', 'swapin-new-anon-rmap', 'lru-clear-at-enqueue',
  'ref-after-lru-test'] as const;

/** Sasha Levin's linux-stable-rc queue push of 29 Sep 2025 (index id 66582448988). */
const QUEUE_2025_09_29 = 'linux-stable-rc queue push, 29 Sep 2025 (index id 66582448988)';

/** Hugh Dickins' 2025 GUP series as queued for `tree`: the refcount test and the local drain first. */
function hughSeries(tree: string, refcount: string, local: string): Backport[] {
  return [
    { patch: 'gup-drain-refcount', on: true, from: `98c6d259319e as ${refcount} in queue/${tree}, ${QUEUE_2025_09_29}` },
    { patch: 'gup-local-drain-first', on: true, from: `a09a8a1fbb37 as ${local} in queue/${tree}, ${QUEUE_2025_09_29}` },
  ];
}

/** The switches of a stable profile: its base's, with its backports applied in order. */
function stablePatches(base: readonly PatchName[], backports: readonly Backport[]): Profile['patches'] {
  const on = new Set<PatchName>(base);
  for (const b of backports) { if (b.on) on.add(b.patch); else on.delete(b.patch); }
  return patchSet([...on]);
}

const GUP_FIX_6_1: Backport = { patch: 'gup-collect-isolated-only', on: true,
  from: '1aaf8c122918 in the 6.1-stable review of 19 Feb 2025, "[PATCH 6.1 563/578]" (index id 8563645861)' };

const B_6_1_129: Backport[] = [GUP_FIX_6_1];
const B_6_1_168: Backport[] = [GUP_FIX_6_1,
  { patch: 'gup-collect-isolated-only', on: false, from: `517f496e1e61 as c95869af729a in queue/6.1, ${QUEUE_2025_09_29}` },
  ...hughSeries('6.1', '669e952986bc', '642f09446919')];
const B_6_6_131: Backport[] = [
  { patch: 'swapin-skip-cache-claim', on: true, from: '13ddaf26be32 in the 6.6-stable review (index id 48300447143)' },
  ...hughSeries('6.6', 'ac73a7c02696', 'ab8d3b99e7ad')];
const B_6_12_111: Backport[] = [
  { patch: 'lru-clear-at-enqueue', on: false, from: `afb99e9f5004 as 52de56b9acbe in queue/6.12, ${QUEUE_2025_09_29}` },
  { patch: 'ref-after-lru-test', on: false, from: `afb99e9f5004 as 52de56b9acbe in queue/6.12, ${QUEUE_2025_09_29}` },
  { patch: 'deactivate-file-tests-lru', on: true, from: `afb99e9f5004 as 52de56b9acbe in queue/6.12, ${QUEUE_2025_09_29}` },
  { patch: 'gup-drain-refcount', on: true,
    from: '98c6d259319e: inferred, not read for 6.12 (a09a8a1fbb37, queued for 6.12 beside it, builds on it)' },
  { patch: 'gup-local-drain-first', on: true, from: `a09a8a1fbb37 as 99ed230f9773 in queue/6.12, ${QUEUE_2025_09_29}` },
  { patch: 'gup-drain-pin-refs', on: true,
    from: '827c5bc53f21 in the linux-stable-rc push of 17 Sep 2026, linux-6.12.y up to "Linux 6.12.111-rc1" (index id 69633044589)' },
];

export const STABLE_PROFILES: readonly Profile[] = [
  { name: '6.1.129', base: '6.1', backports: B_6_1_129, patches: stablePatches(V6_1, B_6_1_129),
    summary: '6.1.y from Feb 2025: 1aaf8c122918 backported (a pin succeeds when nothing could be isolated)' },
  { name: '6.1.168', base: '6.1', backports: B_6_1_168, patches: stablePatches(V6_1, B_6_1_168),
    summary: '6.1.y after the Sep 2025 queue: 1aaf8c122918 reverted again, GUP drains by refcount, locally first' },
  { name: '6.6.131', base: '6.6', backports: B_6_6_131, patches: stablePatches(V6_1, B_6_6_131),
    summary: '6.6.y with the skip-swapcache claim (13ddaf26be32) and Hugh Dickins\' 2025 GUP drain by refcount' },
  { name: '6.12.111', base: '6.12', backports: B_6_12_111, patches: stablePatches(V6_12, B_6_12_111),
    summary: '6.12.y with 33dfe9204f29 reverted, the refcount drain, and the 2026 pin-refs fix (827c5bc53f21)' },
];
