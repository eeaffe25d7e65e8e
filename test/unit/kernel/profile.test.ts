// Kernel profiles and patch switches (src/kernel/profile.ts): resolution, overrides, errors, and
// the switches each profile gives the model.
import { describe, expect, it } from 'vitest';
import {
  kernelSwitches, MadvFree, PATCHES, PROFILES, ProfileError, resolveProfile, type KernelSwitches,
} from '../../../src/kernel/profile.js';

/** The switches of `name` with `patches`. */
const sw = (name: string, patches: Record<string, boolean> = {}): KernelSwitches => kernelSwitches(resolveProfile(name, patches));

/** The error `fn` throws (fails the test if it does not). */
function thrown(fn: () => unknown): Error {
  try { fn(); } catch (e) { if (e instanceof Error) return e; }
  throw new Error('expected a throw');
}

describe('resolveProfile', () => {
  it('the known profiles run from the 2014 MADV_FREE postings and 5.17 with the 2022 proposals to 7.3, oldest first; then the stable trees', () => {
    expect(PROFILES.map((p) => p.name)).toEqual(['3.14-madvfree-naive', '3.14-madvfree-v3', '5.17', '5.17-liang', '5.17-willy', '5.18', '5.19-swp-v2', '5.19',
      '6.10', '6.11', '6.14', '6.16', '6.17', '7.3', '6.1.129', '6.1.168', '6.6.131', '6.12.111']);
  });

  it('an unknown profile throws ProfileError naming every known profile', () => {
    const e = thrown(() => resolveProfile('2.6.32'));
    expect(e).toBeInstanceOf(ProfileError);
    expect(e.name).toBe('ProfileError');
    expect(e.message).toContain('"2.6.32"');
    expect(e.message).toContain(`known: ${PROFILES.map((p) => p.name).join(', ')}`);
  });

  it('an unknown patch switch throws ProfileError naming every known switch', () => {
    const e = thrown(() => resolveProfile('6.10', { 'folio-batch-32': true }));
    expect(e).toBeInstanceOf(ProfileError);
    expect(e.message).toContain('"folio-batch-32"');
    for (const p of PATCHES) expect(e.message).toContain(p.name);
  });

  it('overrides apply to the resolved copy only, never to the base profile', () => {
    const p = resolveProfile('6.10', { 'folio-batch-31': false, 'lru-clear-at-enqueue': true });
    expect(p.patches['folio-batch-31']).toBe(false);
    expect(p.patches['lru-clear-at-enqueue']).toBe(true);
    expect(resolveProfile('6.10').patches['folio-batch-31']).toBe(true);
    expect(resolveProfile('6.10').patches['lru-clear-at-enqueue']).toBe(false);
  });

  it('every profile names every patch switch', () => {
    for (const p of PROFILES) expect(Object.keys(p.patches).sort()).toEqual(PATCHES.map((x) => x.name).sort());
  });
});

describe('kernelSwitches', () => {
  it('6.10: batch 31, PG_lru cleared at drain, GUP drains on !PG_lru only', () => {
    expect(sw('6.10')).toMatchObject({
      batchSize: 31, lruClearAtEnqueue: false, refAfterLruTest: false, deactivateFileTestsLru: false,
      gupAlwaysDrain: false, gupDrainOnRefcount: false, gupLocalDrainFirst: false, drainAllLocalFirst: false,
    });
  });

  it('6.11: clears PG_lru at enqueue and still takes the ref before the PG_lru test', () => {
    expect(sw('6.11')).toMatchObject({ batchSize: 31, lruClearAtEnqueue: true, refAfterLruTest: false, gupDrainOnRefcount: false });
  });

  it('6.17: PG_lru at drain again, deactivate_file tests PG_lru, GUP drains by refcount, locally first', () => {
    expect(sw('6.17')).toMatchObject({
      batchSize: 31, lruClearAtEnqueue: false, refAfterLruTest: false, deactivateFileTestsLru: true,
      gupAlwaysDrain: false, gupDrainOnRefcount: true, gupLocalDrainFirst: true, drainAllLocalFirst: false,
    });
  });

  it.each(['6.10', '6.11', '6.17'])('%s with folio-batch-31=off: batch size 15', (name) => {
    expect(sw(name, { 'folio-batch-31': false }).batchSize).toBe(15);
  });

  it('6.11 + ref-after-lru-test: the 6.12 refinement is on', () => {
    expect(sw('6.11', { 'ref-after-lru-test': true })).toMatchObject({ lruClearAtEnqueue: true, refAfterLruTest: true });
  });
});

describe('write-fault and swap-in switches', () => {
  const WP = ['wpReuseSwapPage', 'wpReuseSwapcacheCount', 'wpLocalDrain', 'wpFreeSwapcache', 'swapinCowRefcount',
    'anonExclusive', 'swpExclusive', 'swpExclusiveInverted'] as const;
  const on = (name: string): string[] => WP.filter((w) => sw(name)[w]);

  it('5.17: page_count-only reuse, batch 15, none of the 2022 changes', () => {
    expect(on('5.17')).toEqual([]);
    expect(sw('5.17').batchSize).toBe(15);
  });
  it('the two January 2022 proposals are each one switch on top of 5.17', () => {
    expect(on('5.17-liang')).toEqual(['wpReuseSwapPage']);
    expect(on('5.17-willy')).toEqual(['wpReuseSwapcacheCount']);
  });
  it('5.18: the three COW fixes of part 1', () => {
    expect(on('5.18')).toEqual(['wpLocalDrain', 'wpFreeSwapcache', 'swapinCowRefcount']);
  });
  it('5.19 adds PG_anon_exclusive and the swap PTE bit; the v2 posting also inverts the stable-writes test', () => {
    expect(on('5.19')).toEqual(['wpLocalDrain', 'wpFreeSwapcache', 'swapinCowRefcount', 'anonExclusive', 'swpExclusive']);
    expect(on('5.19-swp-v2')).toEqual([...on('5.19'), 'swpExclusiveInverted']);
  });
  it.each(['6.10', '6.11', '6.17'])('%s keeps the 5.19 write-fault behaviour, and claims the slot when skipping the swap cache (v6.8)', (name) => {
    expect(on(name)).toEqual(on('5.19'));
    expect(sw(name).swapinSkipCacheClaim).toBe(true);
    expect(sw('5.19').swapinSkipCacheClaim).toBe(false);
  });

  it('MADV_FREE: mainline lazy-free from 5.17 on, the 2014 rules in their profiles, none when every switch is off', () => {
    for (const p of PROFILES.filter((x) => !x.name.startsWith('3.14'))) expect(sw(p.name).madvFree, p.name).toBe(MadvFree.LAZYFREE);
    expect(sw('3.14-madvfree-v3').madvFree).toBe(MadvFree.V3_2014);
    expect(sw('3.14-madvfree-naive').madvFree).toBe(MadvFree.NAIVE_PTE);
    expect(sw('6.10', { 'madvfree-2014-v3': true }).madvFree).toBe(MadvFree.V3_2014);
    expect(sw('6.10', { 'madvfree-lazyfree': false }).madvFree).toBe(MadvFree.NONE);
  });
});
