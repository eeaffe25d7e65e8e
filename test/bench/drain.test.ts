// The drain-cost bench's counters on real workers (small CPU counts): what lru_add_drain_all()
// queues, moves and locks is deterministic even though its timing is not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BenchMachine } from '../../dist/src/drain-bench/machine.js';
import { drainMachine, drainMachineConfig, gupMachine, gupMachineConfig } from '../../dist/src/drain-bench/population.js';
import { GUP_POLICIES, measureCost, measureGup, measurePiggyback } from '../../dist/src/drain-bench/experiments.js';
import { SimCost } from '../../dist/src/kernel/sim-time.js';

const K = { kernel: '6.17', patches: {}, patch: null };
const PER_CPU = 5;

describe('bench drain on 4 CPUs (6.17, batch 31, 5 folios pending per pending CPU)', () => {
  let bm: BenchMachine;
  beforeAll(async () => { bm = (await BenchMachine.start(drainMachine(drainMachineConfig(4, 31))))!; });
  afterAll(async () => { await bm.stop(); });

  it('lru_add_drain_all queues work only to the CPUs with pending folios; idle CPUs get none', async () => {
    const r = await measureCost(bm, K, 'drain-all', 31, 'half', PER_CPU, 'quiet', 3);
    expect(r.pendingCpus).toBe(2);
    expect(r.workQueuedPerCpu).toEqual([0, 0, 1, 1]);
    expect(r.workRunPerCpu).toEqual([0, 0, 1, 1]);
    expect(r.workQueued).toBe(2);
  });

  it('lru_add_drain_all moves exactly the pending folios, one lru_lock acquisition per drained batch', async () => {
    const r = await measureCost(bm, K, 'drain-all', 31, 'all', PER_CPU, 'quiet', 3);
    expect(r.foliosMoved).toBe(4 * PER_CPU);
    expect(r.lruLockAcquisitions).toBe(4);
    expect(r.workQueuedPerCpu).toEqual([1, 1, 1, 1]);
    expect(r.lruLockHoldUs).toBeGreaterThan(0);
  });

  it('lru_add_drain_all with every CPU idle queues nothing and moves nothing', async () => {
    const r = await measureCost(bm, K, 'drain-all', 31, 'none', PER_CPU, 'quiet', 3);
    expect([r.workQueued, r.workRun, r.foliosMoved, r.lruLockAcquisitions]).toEqual([0, 0, 0, 0]);
  });

  it('a 15-folio batch on the same machine drains the same way (capacity set per measurement)', async () => {
    const r = await measureCost(bm, K, 'drain-all', 15, 'one', 14, 'quiet', 3);
    expect(r.workQueuedPerCpu).toEqual([0, 0, 0, 1]);
    expect(r.foliosMoved).toBe(14);
  });

  it('lru_add_drain moves only CPU0\'s folios and queues no work', async () => {
    const r = await measureCost(bm, K, 'drain', 31, 'all', PER_CPU, 'quiet', 3);
    expect(r.foliosMoved).toBe(PER_CPU);
    expect(r.lruLockAcquisitions).toBe(1);
    expect(r.workQueued).toBe(0);
  });

  it('under busy load the drained CPUs still run exactly one work item each', async () => {
    const r = await measureCost(bm, K, 'drain-all', 31, 'all', PER_CPU, 'busy', 3);
    expect(r.workRunPerCpu).toEqual([1, 1, 1, 1]);
    expect(r.foliosMoved).toBeGreaterThanOrEqual(4 * PER_CPU);
  });

  it('simulated time of lru_add_drain_all with one CPU pending is the cost model\'s sum, the same in every rep', async () => {
    const r = await bm.measure({ op: 'drain-all', ...K, batchSize: 31, pendingCpus: 1, perCpu: PER_CPU, busy: false, reps: 4 });
    const C = SimCost;
    const caller = C.ATOMIC /* mutex */ + C.ATOMIC + 3 * C.LINE_REMOTE /* cpu_needs_drain: itself, 3 remote */ + C.QUEUE_WORK;
    const kworker = caller + C.KWORKER_WAKE + PER_CPU * (C.BATCH_FOLIO + C.LRU_MOVE) + 2 * C.ATOMIC /* lru_lock */;
    const expected = kworker + C.WAKEUP /* flush_work slept */ + C.ATOMIC /* mutex_unlock */;
    expect(r.reps.map((x) => x.simNs)).toEqual([expected, expected, expected, expected]);
  });

  it('every CPU calling lru_add_drain_all at once: each call starts a drain or relies on another\'s', async () => {
    const r = await measurePiggyback(bm, K, 31, PER_CPU, 4);
    expect(r.drainsStarted + r.callsSkipped).toBe(4);
    expect(r.drainsStarted).toBeGreaterThanOrEqual(1);
    expect(r.foliosMoved).toBe(4 * PER_CPU);
    expect(r.callUs.median).toBeGreaterThan(0);
  });
});

describe('gup-pin-throughput on 3 CPUs, 16 pages', () => {
  let bm: BenchMachine;
  beforeAll(async () => { bm = (await BenchMachine.start(gupMachine(gupMachineConfig(3, 16, 31))))!; });
  afterAll(async () => { await bm.stop(); });

  it('every policy accounts for every attempt; gup-always-drain calls lru_add_drain_all on every one', async () => {
    for (const policy of GUP_POLICIES) {
      const r = await measureGup(bm, policy, 16, 31, 3);
      expect(r.pins + r.failed, policy.policy).toBe(16 * 3);
      expect(r.failureRate).toBeCloseTo(r.failed / 48, 3);
      if (policy.patches && 'gup-always-drain' in policy.patches) expect(r.drainAllPerPin).toBeGreaterThanOrEqual(1);
    }
  });

  it('6.17 calls lru_add_drain_all on every pin (the pin bias); the 2026 fix only when a batch holds a reference', async () => {
    const v617 = await measureGup(bm, GUP_POLICIES.find((p) => p.kernel === '6.17')!, 16, 31, 3);
    const fixed = await measureGup(bm, GUP_POLICIES.find((p) => p.kernel === '7.3')!, 16, 31, 3);
    expect(v617.drainAllPerPin).toBeGreaterThanOrEqual(1);
    expect(fixed.drainAllPerPin).toBeLessThan(v617.drainAllPerPin);
  });
});
