import { describe, expect, it } from 'vitest';
import { computeLayout, REGION_NAMES, regionAccess, type MachineConfig } from '../../../src/shm/layout.js';

const config: MachineConfig = {
  cpus: 3, folios: 10, cmaFolios: 2, mms: 2, ptesPerMm: 5, swapSlots: 4, batchSize: 15,
  traceCapacity: 9, scheduleCapacity: 33, scenarioVars: 4, outcomes: 5,
};

describe('machine layout', () => {
  const L = computeLayout(config);
  const spans = REGION_NAMES.map((r) => [L[r], L[r] + L.sizes[r], r] as const).sort((a, b) => a[0] - b[0]);

  it('no two regions overlap', () => {
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
  });

  it('every region starts on a 64-byte boundary', () => {
    for (const r of REGION_NAMES) expect(L[r] % 16).toBe(0);
  });

  it('the total is the sum of the aligned regions', () => {
    const sum = REGION_NAMES.reduce((a, r) => a + Math.ceil(L.sizes[r] / 16) * 16, 0);
    expect(L.words).toBe(sum);
  });

  it('sizes follow the config: per-CPU batch slots and per-mm PTEs', () => {
    expect(L.sizes.FBATCH_SLOT).toBe(3 * 7 * 15);
    expect(L.sizes.PTE).toBe(2 * 5);
    expect(L.sizes.FOLIO_REC).toBe((10 + 5) * 16);
    expect(L.FOLIO_REF - L.FOLIO_REC).toBeLessThan(16);
  });

  it('declares an access discipline for every region', () => {
    for (const r of REGION_NAMES) expect(['atomic', 'owned', 'static']).toContain(regionAccess(r));
  });

  it('a bad size names the MachineConfig field to change', () => {
    expect(() => computeLayout({ ...config, folios: -1 })).toThrow(/MachineConfig\.folios must be an integer/);
    expect(() => computeLayout({ ...config, cmaFolios: 11 })).toThrow(/MachineConfig\.cmaFolios \(11\) exceeds MachineConfig\.folios/);
  });
});
