// Simulated time in runs: an iteration's simulated length (its slowest CPU's clock under the cost
// model of kernel/sim-time.ts) depends only on what the model did, so a controlled run gives the
// same figure from the same seed, and a scenario that drains every CPU costs more than one that
// does not.
import { describe, expect, it } from 'vitest';
import { runScenario } from './helpers/dist.js';
import { TEST_SEED } from './helpers/seed.js';

const FIXTURE = new URL('./fixtures/drain-all-race.js', import.meta.url).pathname;

describe(`simulated time per iteration (seed ${TEST_SEED})`, () => {
  it('pct: the same seed gives the same simulated time; 3 CPUs draining cost more than 2', async () => {
    const o = { scenario: FIXTURE, kernel: '6.10', mode: 'pct' as const, seed: TEST_SEED, iterations: 400, out: null };
    const a = await runScenario({ ...o, cpus: 3 });
    const b = await runScenario({ ...o, cpus: 3 });
    const two = await runScenario({ ...o, cpus: 2 });
    expect(a.simulatedUsPerIteration).toBeGreaterThan(0);
    expect(b.simulatedUsPerIteration).toBe(a.simulatedUsPerIteration);
    expect(a.simulatedUsPerIteration).toBeGreaterThan(two.simulatedUsPerIteration);
  });
});
