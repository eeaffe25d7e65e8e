// Shards: which part of a campaign this process runs. `--shard I/N` (1-based, as vitest and
// Playwright count), or `--shard auto` from the variables the engine that started us sets.
// foliorace has no scheduler of its own: the engine starts N processes, each computes its part.
import { UsageError } from '../errors.js';
import type { Unit } from './plan.js';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
  /** Where I and N came from, for the progress line. */
  source: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * `spec`: "I/N" or "auto"; `countFlag`: --shard-count, for engines that do not tell N (a Kubernetes
 * Indexed Job's pods see only their index).
 */
export function parseShard(spec: string | undefined, countFlag: number | undefined, env: Env): Shard {
  if (spec === undefined) {
    if (countFlag !== undefined) throw new UsageError('--shard-count goes with --shard auto');
    return { index: 1, count: 1, source: 'unsharded' };
  }
  if (spec !== 'auto') {
    if (countFlag !== undefined) throw new UsageError('--shard-count goes with --shard auto; --shard I/N gives N itself');
    const { index, count } = indexOfCount(spec) ?? { index: 0, count: 0 };
    if (count < 1 || count > 100_000 || index < 1 || index > count) {
      throw new UsageError(`--shard must be I/N with 1 <= I <= N (got "${spec}"), or auto`);
    }
    return { index, count, source: `--shard ${spec}` };
  }
  return fromEnvironment(countFlag, env);
}

/** "I/N" as two numbers (the caller checks their ranges), or null when it is not of that form. */
export function indexOfCount(spec: string): { index: number; count: number } | null {
  const m = /^(\d+)\/(\d+)$/.exec(spec);
  return m ? { index: Number(m[1]), count: Number(m[2]) } : null;
}

function fromEnvironment(countFlag: number | undefined, env: Env): Shard {
  const engines = [kubernetes, slurm, gitlab].map((f) => f(env, countFlag)).filter((s): s is Shard => s !== null);
  if (engines.length === 0) {
    throw new UsageError('--shard auto found no shard variables: JOB_COMPLETION_INDEX (Kubernetes Indexed Job, with --shard-count N), ' +
      'SLURM_ARRAY_TASK_ID (Slurm job array) or CI_NODE_INDEX (GitLab parallel); elsewhere give --shard I/N');
  }
  if (engines.length > 1) throw new UsageError(`--shard auto: variables of several engines are set (${engines.map((e) => e.source).join('; ')}); give --shard I/N`);
  const s = engines[0]!;
  if (s.index < 1 || s.index > s.count) throw new UsageError(`--shard auto: ${s.source} gives shard ${s.index} of ${s.count}, outside 1..${s.count}`);
  if (countFlag !== undefined && countFlag !== s.count) throw new UsageError(`--shard-count ${countFlag} disagrees with ${s.source}`);
  return s;
}

function integer(env: Env, name: string): number | null {
  const v = env[name];
  if (v === undefined || v === '') return null;
  if (!/^\d+$/.test(v)) throw new UsageError(`--shard auto: ${name} must be a non-negative integer (got "${v}")`);
  return Number(v);
}

/** Kubernetes Indexed Job: JOB_COMPLETION_INDEX is 0-based; the pod is not told `completions`. */
function kubernetes(env: Env, countFlag: number | undefined): Shard | null {
  const i = integer(env, 'JOB_COMPLETION_INDEX');
  if (i === null) return null;
  if (countFlag === undefined) throw new UsageError('--shard auto: JOB_COMPLETION_INDEX is set (Kubernetes Indexed Job) but a pod is not told the job\'s completions: add --shard-count N');
  return { index: i + 1, count: countFlag, source: `JOB_COMPLETION_INDEX=${i}, --shard-count ${countFlag}` };
}

/**
 * Slurm job array: tasks MIN, MIN+STEP, ... (`--array=0-7`, `--array=1-16:2`); COUNT tasks in all.
 * A list with gaps (`--array=1,5,7`) cannot be numbered from the variables: refused by the caller's range check.
 */
function slurm(env: Env): Shard | null {
  const id = integer(env, 'SLURM_ARRAY_TASK_ID');
  if (id === null) return null;
  const min = integer(env, 'SLURM_ARRAY_TASK_MIN') ?? 0;
  const step = integer(env, 'SLURM_ARRAY_TASK_STEP') ?? 1;
  const count = integer(env, 'SLURM_ARRAY_TASK_COUNT');
  if (count === null) throw new UsageError('--shard auto: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not');
  if (step < 1 || (id - min) % step !== 0) throw new UsageError(`--shard auto: SLURM_ARRAY_TASK_ID=${id} is not MIN=${min} plus a multiple of STEP=${step}`);
  return { index: (id - min) / step + 1, count, source: `SLURM_ARRAY_TASK_ID=${id} (MIN ${min}, COUNT ${count})` };
}

/** GitLab `parallel: N`: CI_NODE_INDEX is 1-based. */
function gitlab(env: Env): Shard | null {
  const i = integer(env, 'CI_NODE_INDEX');
  if (i === null) return null;
  const count = integer(env, 'CI_NODE_TOTAL');
  if (count === null) throw new UsageError('--shard auto: CI_NODE_INDEX is set but CI_NODE_TOTAL is not');
  return { index: i, count, source: `CI_NODE_INDEX=${i}, CI_NODE_TOTAL=${count}` };
}

/**
 * The units of shard `index` of `count`: longest expected cost first, each to the least loaded
 * shard (lowest index on ties), so that every process computes the same split without talking.
 * Returned in unit order.
 */
export function shardUnits(units: readonly Unit[], index: number, count: number): Unit[] {
  const load = new Array<number>(count).fill(0);
  const mine: Unit[] = [];
  const order = [...units].sort((a, b) => b.cost - a.cost || a.id - b.id);
  for (const u of order) {
    let best = 0;
    for (let s = 1; s < count; s++) if (load[s]! < load[best]!) best = s;
    load[best]! += u.cost;
    if (best === index - 1) mine.push(u);
  }
  return mine.sort((a, b) => a.id - b.id);
}
