// Runs one shard of a campaign on this machine: its units one after another (each unit already
// uses one worker per simulated CPU), and writes the shard's result directory.
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, relative } from 'node:path';
import { runScenario } from '../api/run.js';
import type { RunHooks } from '../host/run-machine.js';
import type { RunOptions } from '../host/options.js';
import type { RunReport } from '../report/report.js';
import { FOLIORACE_VERSION } from '../version.js';
import type { Cell, CampaignPlan, Unit } from './plan.js';
import { SHARD_FORMAT, shardFileName, writeJson, type ShardResult, type UnitResult } from './result.js';
import { shardUnits, type Shard } from './shard.js';

export interface ShardHooks {
  /** The shard's units, before the first starts. */
  onStart?: (units: readonly Unit[]) => void;
  /** A unit starts; `hooks` are passed to its run (progress within the unit). */
  onUnitStart?: (u: Unit, cell: Cell, n: number, of: number) => RunHooks;
  onUnitDone?: (r: UnitResult, cell: Cell, n: number, of: number) => void;
  /** Aborting it ends the shard after the running unit, which is dropped (its counts are partial). */
  signal?: AbortSignal;
  /** --watchdog and --worker-memory for every unit (absent: run's defaults). */
  limits?: Pick<RunOptions, 'watchdogMs' | 'workerMemoryMb'>;
}

/** Runs the shard's units; with `out`, writes failures, traces and shard-I-of-N.json there. */
export async function runShard(plan: CampaignPlan, shard: Shard, out: string | null, hooks: ShardHooks = {}): Promise<ShardResult> {
  const mine = shardUnits(plan.units, shard.index, shard.count);
  const startedAt = new Date();
  const t0 = performance.now();
  const results: UnitResult[] = [];
  if (out !== null) mkdirSync(join(out, 'traces'), { recursive: true });
  hooks.onStart?.(mine);
  for (const [n, u] of mine.entries()) {
    if (hooks.signal?.aborted) break;
    const cell = plan.cells[u.cell]!;
    const runHooks = hooks.onUnitStart?.(u, cell, n + 1, mine.length) ?? {};
    const report = await runScenario({ ...unitOptions(plan, cell, u, out), ...hooks.limits }, hooks.signal ? { ...runHooks, signal: hooks.signal } : runHooks);
    if (hooks.signal?.aborted) break;
    const r = unitResult(u, cell, report, out);
    results.push(r);
    hooks.onUnitDone?.(r, cell, n + 1, mine.length);
  }
  const result: ShardResult = {
    format: SHARD_FORMAT,
    campaign: { name: plan.name, description: plan.description, hash: plan.hash, exit: plan.exit, units: plan.units.length,
      cells: plan.cells, scenarios: plan.scenarios },
    shard: { index: shard.index, count: shard.count, source: shard.source },
    foliorace: { version: FOLIORACE_VERSION },
    host: hostname(), startedAt: startedAt.toISOString(), elapsedMs: Math.round(performance.now() - t0),
    assigned: mine.map((u) => u.id), complete: results.length === mine.length, units: results,
  };
  if (out !== null) writeJson(out, shardFileName(shard.index, shard.count), result);
  return result;
}

function unitOptions(plan: CampaignPlan, cell: Cell, u: Unit, out: string | null): RunOptions {
  const o: RunOptions = {
    scenario: plan.runnable[cell.scenario]!, kernel: cell.kernel, patches: cell.patches, mode: cell.mode, seed: u.seed,
    iterations: cell.iterations, stopOnFirst: plan.stopOnFirst, out: out === null ? null : join(out, 'failures'),
  };
  if (cell.patchFile !== null) o.patchFile = plan.patchPaths[cell.patchFile]!;
  if (cell.durationMs > 0) o.durationMs = cell.durationMs;
  if (cell.mode === 'free') o.jitter = cell.jitter;
  if (cell.preemptions !== undefined) o.preemptions = cell.preemptions;
  if (cell.parts !== undefined && u.part !== undefined) {
    o.part = { index: u.part, count: cell.parts, ...(cell.partDepth === undefined ? {} : { depth: cell.partDepth }) };
  }
  if (cell.memory !== undefined) o.memory = cell.memory;
  if (out !== null) o.trace = join(out, 'traces', traceName(cell, u));
  return o;
}

function traceName(cell: Cell, u: Unit): string {
  return `unit-${u.id}-${cell.name}-${cell.kernel}-${cell.mode}-${u.seed}${u.part === undefined ? '' : `-part${u.part}`}.trace.json`.replace(/[^A-Za-z0-9._-]/g, '_');
}

function unitResult(u: Unit, cell: Cell, r: RunReport, out: string | null): UnitResult {
  const f = r.firstFailure;
  return {
    unit: u.id, cell: cell.key, seed: u.seed, ...(u.part === undefined ? {} : { part: u.part }), iterations: r.iterations, elapsedMs: r.elapsedMs, outcomes: r.outcomes,
    forbidden: r.forbidden, violations: r.violations, deadlocks: r.deadlocks, livelocks: r.livelocks, unknown: r.unknown, watchdog: r.watchdog,
    ...(r.verify ? { verify: { classes: r.verify.classes, complete: r.verify.complete,
      ...(r.verify.part ? { part: { subtrees: r.verify.part.subtrees, own: r.verify.part.own } } : {}) } } : {}),
    failure: f === null ? null : {
      cell: cell.key, seed: u.seed, ...(u.part === undefined ? {} : { part: u.part }), iteration: f.iteration, kind: f.kind, outcome: f.outcome, schedule: f.schedule,
      diagram: f.diagram, truncated: f.truncated, replayVerified: f.replayVerified,
      file: out !== null && f.file !== null ? relative(out, f.file) : null,
      trace: out !== null ? join('traces', traceName(cell, u)) : null,
    },
  };
}
