// Shard results built by hand, for the merge and HTML tests that need no machine; the environment
// of a campaign started by a test.
import type { Cell } from '../../src/campaign/plan.js';
import { SHARD_FORMAT, type ShardResult, type UnitResult } from '../../src/campaign/result.js';

export const CELLS: Cell[] = (['6.10', '6.11'] as const).map((kernel) => ({
  key: `gup-longterm-vs-activate · ${kernel} · pct`, scenario: 'gup-longterm-vs-activate', name: 'gup-longterm-vs-activate', kernel,
  patches: {}, patchFile: null, patchName: null, mode: 'pct', iterations: 100, durationMs: 0, jitter: 0, cpus: 2, expected: kernel === '6.10' ? 'found' : 'never',
}));

/** Unit u: cell u % 2, seed u >> 1; cell 0 (6.10) finds u + 1 forbidden outcomes. */
export function unit(u: number): UnitResult {
  const cell = CELLS[u % 2]!;
  const forbidden = u % 2 === 0 ? u + 1 : 0;
  return {
    unit: u, cell: cell.key, seed: String(u >> 1), iterations: 100, elapsedMs: 10,
    outcomes: [{ name: 'pinned-after-migration', kind: 'acceptable', count: 100 - forbidden }, { name: 'pin-failed-batch-ref', kind: 'forbidden', count: forbidden }],
    forbidden, violations: 0, deadlocks: 0, livelocks: 0, unknown: 0, watchdog: null,
    failure: forbidden === 0 ? null : {
      cell: cell.key, seed: String(u >> 1), iteration: 3, kind: 'forbidden', outcome: 'pin-failed-batch-ref',
      // units 0 and 2 record the same schedule: one distinct failure
      schedule: u === 4 ? '0x3,1x2' : '0x2,1x5', diagram: `CPU0 | CPU1\n<get f0> unit ${u}`, truncated: false, replayVerified: true,
      file: `failures/f-${u}.json`, trace: `traces/t-${u}.json`,
    },
  };
}

/** Shard `index` of `count` holding `units`, of a campaign of 6 units. */
export function shard(index: number, count: number, units: number[], over: Partial<ShardResult> = {}): ShardResult {
  return {
    format: SHARD_FORMAT,
    campaign: { name: 'small', description: 'two cells', hash: 'aaaabbbbccccdddd', exit: 'expectation', units: 6, cells: CELLS,
      scenarios: { 'gup-longterm-vs-activate': { summary: 'pin vs activate', before: '6.10', after: '6.11', claims: {} } } },
    shard: { index, count, source: `--shard ${index}/${count}` },
    foliorace: { version: '0.1.0' }, host: `node${index}`, startedAt: '2026-01-01T00:00:00.000Z', elapsedMs: 1000 * index,
    assigned: units, complete: true, units: units.map(unit), ...over,
  };
}

/** The variables of the engines `--shard auto` reads (docs/campaigns.md, "Shards"). */
export const ENGINE_VARS = ['JOB_COMPLETION_INDEX', 'SLURM_ARRAY_TASK_ID', 'SLURM_ARRAY_TASK_MIN', 'SLURM_ARRAY_TASK_COUNT',
  'SLURM_ARRAY_TASK_STEP', 'CI_NODE_INDEX', 'CI_NODE_TOTAL'];

/** This process's environment without any engine's shard variables (a test's shards set their own). */
export function envWithoutEngines(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const v of ENGINE_VARS) delete env[v];
  return env;
}
