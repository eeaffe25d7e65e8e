// The run a failure record replays under: its profile with its switches, its CPUs and seed, and its
// patch file loaded again from where it was recorded. A patch file whose content changed since is
// loaded anyway (the replay says so first); one that is gone is a usage error naming it.
import { existsSync } from 'node:fs';
import type { Scenario } from '../scenario/define.js';
import { UsageError } from '../errors.js';
import { resolveRunOptions, type ResolvedRun, type RunOptions } from '../host/options.js';
import { loadPatch } from '../load/load.js';
import { loadProbe } from '../load/probe.js';
import type { RunReport } from '../report/report.js';
import { runOptionsOf, type FailureFile } from './failure.js';

export interface FailureRun {
  r: ResolvedRun;
  /** The patch file's content is not what was recorded (null: the same, or no patch file). */
  patchChanged: NonNullable<RunReport['patchChanged']> | null;
}

/**
 * `f`'s run (before replayRun()), with `o` (the mode, --watchdog, --worker-memory); `from` names the
 * file or replay string in errors.
 */
export async function failureRun(f: FailureFile, from: string, scenario: Scenario,
  o: Pick<RunOptions, 'mode' | 'watchdogMs' | 'workerMemoryMb'>, signal?: AbortSignal): Promise<FailureRun> {
  const recorded = f.patchFile;
  if (recorded && !existsSync(recorded.path)) {
    throw new UsageError(`${from}: it was recorded with patch file ${recorded.path} (${recorded.name}, ${recorded.hash}), which is gone`);
  }
  const patch = recorded ? await loadPatch(recorded.path, { probe: loadProbe(o, signal) }) : null;
  try {
    const r = resolveRunOptions({ ...runOptionsOf(f), ...o }, scenario, patch);
    const changed = recorded && patch && patch.hash !== recorded.hash ? { path: recorded.path, recorded: recorded.hash, now: patch.hash } : null;
    return { r, patchChanged: changed };
  } catch (e) {
    throw e instanceof UsageError ? new UsageError(`${from}: ${e.message}`) : e;
  }
}
