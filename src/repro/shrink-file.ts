// `foliorace shrink FILE`: shrink the schedule of an existing failure file and write the result as
// a new file beside it (files are never overwritten). It starts from the file's exact schedule, not
// from an earlier shrink, so the same file always shrinks to the same schedule; a file whose
// schedule is a free-mode order that never replayed is converted first. A schedule that makes the
// scenario's code fail ends it as any run (scenario-error.ts): the error, and its failure file beside.
import { dirname } from 'node:path';
import { computeLayout } from '../shm/layout.js';
import { encodeSchedule } from '../sched/schedule.js';
import { scheduleCaption } from '../report/caption.js';
import { failureDiagram } from '../report/ref-holders.js';
import { replayStringOf } from './replay-string.js';
import type { ShrinkReport } from '../report/report.js';
import { FOLIORACE_VERSION } from '../version.js';
import { StoppedError, UsageError } from '../errors.js';
import { fingerprintOf, readFailureFile, writeFailureFile, type FailureFile } from './failure.js';
import { failureRun } from './failure-run.js';
import { scheduleOf } from './failure-validate.js';
import { loadScenario, scenarioRef } from '../load/load.js';
import { DEFAULT_CONVERT_BUDGET_MS, type RunOptions } from '../host/options.js';
import { loadProbe } from '../load/probe.js';
import { reproduce, shrinkReport, shrunkRecord } from './reproduce.js';
import { FedFault } from '../host/explorer.js';
import { scenarioFailed } from './scenario-error.js';

/** The `format` of `shrink --json` (docs/schemas/shrink.schema.json). */
export const SHRINK_FORMAT = 'foliorace-shrink/1';

export interface ShrinkFileReport {
  format: typeof SHRINK_FORMAT;
  /** The file written (null: the directory is not writable; the JSON went to stderr). */
  file: string | null;
  from: string;
  outcome: string;
  /** The shrunk schedule. */
  schedule: string;
  shrunk: ShrinkReport;
  diagram: string;
}

/** `watchdogMs`, `workerMemoryMb`: as a run's (--watchdog, --worker-memory). */
export interface ShrinkFileOptions extends Pick<RunOptions, 'watchdogMs' | 'workerMemoryMb'> {
  /** A free-mode order that never replayed: time to search for an exact schedule [5 s]. */
  convertBudgetMs?: number | undefined;
  /** A stop request ends the conversion and the shrinking where they are. */
  signal?: AbortSignal | undefined;
}

export async function shrinkFailureFile(path: string, o: ShrinkFileOptions = {}): Promise<ShrinkFileReport> {
  const { convertBudgetMs = DEFAULT_CONVERT_BUDGET_MS, signal } = o;
  const f = readFailureFile(path);
  const ref = scenarioRef(f.scenario);
  const scenario = await loadScenario(ref, { probe: loadProbe({}, signal) });
  const { r } = await failureRun(f, path, scenario, { mode: f.mode, watchdogMs: o.watchdogMs, workerMemoryMb: o.workerMemoryMb }, signal);
  const schedule = scheduleOf(f, path, r.config);
  const rep = await reproduce(ref, scenario, r, { schedule, iteration: f.iteration }, { kind: f.kind, name: f.outcome },
    { shrink: true, convertBudgetMs, signal }, f.exact === false).catch(async (e: unknown) => {
    if (!(e instanceof FedFault)) throw e;
    throw (await scenarioFailed(ref, scenario, r, e.ended, dirname(path), null)) ?? e;
  });
  if (!rep.shrunk || !rep.shown) {
    if (signal?.aborted) throw new StoppedError(`stopped before ${path} was made exact; nothing written`);
    throw new UsageError(`${path}: its schedule does not reproduce ${f.outcome} under this model; nothing to shrink`);
  }
  const k = rep.shrunk;
  const out: FailureFile = { ...f, schedule: encodeSchedule(rep.exact!.schedule), version: FOLIORACE_VERSION,
    fingerprint: fingerprintOf(r), exact: true, shrunk: shrunkRecord(k) };
  out.replayString = replayStringOf(out);
  const file = writeFailureFile(dirname(path), out);
  if (file === null) process.stderr.write(`foliorace: cannot write to ${dirname(path)}; the shrunk file is:\n${JSON.stringify(out)}\n`);
  const shrunk = shrinkReport(k);
  const caption = scheduleCaption(k.steps, k.preemptions, shrunk);
  return { format: SHRINK_FORMAT, file, from: path, outcome: f.outcome, schedule: out.shrunk!.schedule, shrunk,
    diagram: `${caption}\n${failureDiagram(computeLayout(r.config), rep.shown, r.cpus)}` };
}
