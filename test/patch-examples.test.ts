// The two real fixes of examples/, rewritten as patch files, against the built-in switches they
// stand for: 33dfe9204f29 on 6.10 (lru-clear-at-enqueue), the 2026 always-drain fix on 6.17
// (gup-drain-pin-refs). Each passes the same preemption points as its switch, so a pct run of the
// same seed runs the same schedules: every built-in scenario (those of campaigns/demo.json) gives
// the same outcome counts, hence the same verdicts, with the patch as with the switch. The full
// scale (pct 20,000 and free mode 2 s per scenario) is campaigns/patch-examples.json. And the gup
// bench counts the same lru_add_drain_all() calls per pin: the spreads of their repetitions overlap.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS, runScenario } from './helpers/dist.js';
import { BenchMachine } from '../dist/src/drain-bench/machine.js';
import { gupMachine, gupMachineConfig } from '../dist/src/drain-bench/population.js';
import { measureGup } from '../dist/src/drain-bench/experiments.js';
import { loadPatch } from '../dist/src/load/load.js';
import { TEST_SEED } from './helpers/seed.js';

const example = (name: string): string => fileURLToPath(new URL(`../examples/${name}.ts`, import.meta.url));
const FIXES = [
  { kernel: '6.10', switch: 'lru-clear-at-enqueue', file: example('lru-clear-at-enqueue') },
  { kernel: '6.17', switch: 'gup-drain-pin-refs', file: example('gup-drain-pin-refs') },
];
const ITERATIONS = 200;

/** Outcome counts, violations, deadlocks and livelocks of a pct run. */
async function counts(scenario: string, kernel: string, how: { patches: Record<string, boolean> } | { patchFile: string }): Promise<number[]> {
  const r = await runScenario({ scenario, kernel, ...how, mode: 'pct', seed: TEST_SEED, iterations: ITERATIONS, out: null, shrink: false });
  return [...r.outcomes.map((o) => o.count), r.violations, r.deadlocks, r.livelocks];
}

describe(`patch files against their switches (pct, seed ${TEST_SEED}, ${ITERATIONS} iterations per scenario)`, () => {
  for (const fix of FIXES) {
    it(`${fix.kernel} + examples/${fix.switch}.ts: every built-in scenario comes out as under --patch ${fix.switch}=on`, async () => {
      const differ: string[] = [];
      for (const s of BUILTIN_SCENARIOS) {
        const bySwitch = await counts(s.name, fix.kernel, { patches: { [fix.switch]: true } });
        const byFile = await counts(s.name, fix.kernel, { patchFile: fix.file });
        // every iteration counted, unless a livelock (the last count) ended the run
        const livelocked = bySwitch[bySwitch.length - 1] === 1;
        expect(livelocked || bySwitch.reduce((a, n) => a + n, 0) >= ITERATIONS, `${s.name}: ${bySwitch}`).toBe(true);
        if (JSON.stringify(bySwitch) !== JSON.stringify(byFile)) differ.push(`${s.name}: switch ${bySwitch}, patch file ${byFile}`);
      }
      expect(differ).toEqual([]);
    }, 600_000);
  }

  it('the comparison can fail: 6.10 as it is finds the race the lru patch closes, so their counts differ', async () => {
    const plain = await counts('gup-longterm-vs-activate', '6.10', { patches: {} });
    const patched = await counts('gup-longterm-vs-activate', '6.10', { patchFile: FIXES[0]!.file });
    expect(JSON.stringify(plain)).not.toBe(JSON.stringify(patched));
  }, 120_000);
});

describe('bench drain --experiment gup: drains per pin of a patch file and of its switch (3 CPUs, 16 pages, 10 reps)', () => {
  let bm: BenchMachine;
  beforeAll(async () => { bm = (await BenchMachine.start(gupMachine(gupMachineConfig(3, 16, 31))))!; });
  afterAll(async () => { await bm.stop(); });

  for (const fix of FIXES) {
    it(`${fix.kernel}: examples/${fix.switch}.ts within the spread of --patch ${fix.switch}=on, and the other way round`, async () => {
      const patch = await loadPatch(fix.file, { typecheck: true });
      const bySwitch = await measureGup(bm, { policy: 'switch', kernel: fix.kernel, patches: { [fix.switch]: true }, patch: null }, 16, 31, 10);
      const byFile = await measureGup(bm, { policy: 'patch file', kernel: fix.kernel, patches: {}, patch }, 16, 31, 10);
      // the bench runs free (real threads): each rep's count varies with timing, so the two are the
      // same when their spreads overlap (a patch that drained always or never would not)
      const [a, b] = [byFile.drainAllPerPinRange, bySwitch.drainAllPerPinRange];
      expect(byFile.patchFile).toBe(patch.name);
      expect(a[0] <= b[1] && b[0] <= a[1], JSON.stringify([byFile, bySwitch])).toBe(true);
    }, 120_000);
  }
});
