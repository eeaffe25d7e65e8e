// A race written with the public export only (test/fixtures/ro-pin-after-fork.js), run on worker
// CPUs: without GUP unsharing (5.17) the R/O pin goes stale at the parent's write; with it (5.19,
// 6.10) it stays coherent; the child never sees the parent's write.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runScenario, tempOut } from './helpers/dist.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/ro-pin-after-fork.js', import.meta.url));
const count = (r: Awaited<ReturnType<typeof runScenario>>, name: string): number => r.outcomes.find((o) => o.name === name)!.count;

describe('public API: R/O pin of a page shared by fork (cow.c case), pct seed 1', () => {
  for (const { kernel, stale } of [{ kernel: '5.17', stale: true }, { kernel: '5.19', stale: false }, { kernel: '6.10', stale: false }]) {
    it(`${kernel}: the pin ${stale ? 'goes stale in every iteration' : 'stays coherent'}`, async () => {
      const r = await runScenario({ scenario: FIXTURE, kernel, mode: 'pct', seed: '1', iterations: 100, out: tempOut() });
      expect(count(r, 'child-saw-parent-write')).toBe(0);
      expect(count(r, 'pin-stale')).toBe(stale ? 100 : 0);
      expect(count(r, 'pin-coherent')).toBe(stale ? 0 : 100);
      expect(r.violations).toBe(0);
    });
  }
});
