import { describe, expect, it } from 'vitest';
import { parseShard, shardUnits } from '../../../src/campaign/shard.js';
import type { Unit } from '../../../src/campaign/plan.js';

describe('--shard: I and N from the flag or from the engine that started the process', () => {
  it('I/N is 1-based; no flag is the one shard of one', () => {
    expect(parseShard('3/4', undefined, {})).toMatchObject({ index: 3, count: 4 });
    expect(parseShard(undefined, undefined, {})).toMatchObject({ index: 1, count: 1 });
  });

  it('Kubernetes Indexed Job: JOB_COMPLETION_INDEX is 0-based and N comes from --shard-count', () => {
    expect(parseShard('auto', 4, { JOB_COMPLETION_INDEX: '0' })).toMatchObject({ index: 1, count: 4 });
    expect(() => parseShard('auto', undefined, { JOB_COMPLETION_INDEX: '0' })).toThrow(/add --shard-count N/);
  });

  it('Slurm array: the task id counted from SLURM_ARRAY_TASK_MIN in steps of _STEP, of _COUNT', () => {
    expect(parseShard('auto', undefined, { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '4' }))
      .toMatchObject({ index: 2, count: 4 });
    expect(parseShard('auto', undefined, { SLURM_ARRAY_TASK_ID: '6', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_STEP: '2', SLURM_ARRAY_TASK_COUNT: '4' }))
      .toMatchObject({ index: 4, count: 4 });
    // --array=1,5,7: ids with gaps cannot be numbered
    expect(() => parseShard('auto', undefined, { SLURM_ARRAY_TASK_ID: '7', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '3' }))
      .toThrow(/gives shard 7 of 3/);
  });

  it('GitLab parallel: CI_NODE_INDEX is 1-based, of CI_NODE_TOTAL', () => {
    expect(parseShard('auto', undefined, { CI_NODE_INDEX: '3', CI_NODE_TOTAL: '4' })).toMatchObject({ index: 3, count: 4 });
    expect(() => parseShard('auto', undefined, { CI_NODE_INDEX: '3' })).toThrow(/CI_NODE_TOTAL is not/);
  });

  it('refuses nothing to go by, two engines at once, and malformed values', () => {
    expect(() => parseShard('auto', undefined, {})).toThrow(/found no shard variables/);
    expect(() => parseShard('auto', 4, { JOB_COMPLETION_INDEX: '0', CI_NODE_INDEX: '1', CI_NODE_TOTAL: '4' })).toThrow(/several engines/);
    expect(() => parseShard('auto', undefined, { CI_NODE_INDEX: 'x', CI_NODE_TOTAL: '4' })).toThrow(/CI_NODE_INDEX must be a non-negative integer/);
    for (const bad of ['0/4', '5/4', '1/0', '1-4', 'all']) expect(() => parseShard(bad, undefined, {})).toThrow(/--shard must be I\/N/);
    expect(() => parseShard('1/4', 4, {})).toThrow(/--shard-count goes with --shard auto/);
  });
});

describe('shardUnits: a deterministic split balanced by expected cost', () => {
  const units: Unit[] = Array.from({ length: 23 }, (_, id) => ({ id, cell: id >> 2, seed: String(id % 4), cost: 200 + ((id * 7919) % 13) * 100 }));

  it('every unit lands in exactly one of N shards, for N from 1 to 30', () => {
    for (let n = 1; n <= 30; n++) {
      const ids = Array.from({ length: n }, (_, i) => shardUnits(units, i + 1, n).map((u) => u.id)).flat();
      expect(ids.sort((a, b) => a - b)).toEqual(units.map((u) => u.id));
    }
  });

  it('the same units in any order give the same split', () => {
    const shuffled = [...units].reverse();
    for (let i = 1; i <= 4; i++) expect(shardUnits(shuffled, i, 4)).toEqual(shardUnits(units, i, 4));
  });

  it('no shard carries more than the average plus the costliest unit', () => {
    const total = units.reduce((a, u) => a + u.cost, 0);
    const max = Math.max(...units.map((u) => u.cost));
    for (let i = 1; i <= 4; i++) {
      const load = shardUnits(units, i, 4).reduce((a, u) => a + u.cost, 0);
      expect(load).toBeLessThanOrEqual(total / 4 + max);
    }
  });
});
