// A run that ended on the scenario's own fault, reported one way whatever ran its schedules: a run
// in any mode (runMachine), a fed run (exhaustive search, conversion of a free-mode failure,
// shrinking, and any later search built on explorer.ts), `replay` and `shrink`. A throw gets a
// failure file that replays to it (checked by replaying it) and a message that starts at the user's
// file:line; a worker that had to be ended (hang, exit, out of memory) gets its one line
// (watchdog.ts). Either ends the command as a ScenarioError: exit 2.
import type { Scenario } from '../scenario/define.js';
import type { ScenarioRef } from '../cpu/protocol.js';
import { shown, shownAt, type ScenarioFault } from '../cpu/scenario-fault.js';
import { replayRun, type ResolvedRun } from '../host/options.js';
import { runMachine, type RawRun } from '../host/run-machine.js';
import { describeFault, type WorkerFault } from '../host/watchdog.js';
import type { RunReport, WorkerFaultReport } from '../report/report.js';
import { PatchError, ScenarioError } from '../errors.js';
import { DEFAULT_OUT, failureFile, writeFailureFile } from './failure.js';

/** What a run says of the scenario's fault: its throw (and `first`, the failure of the schedule that reached it), or a worker fault. */
export type FaultEnd = Pick<RawRun, 'fault' | 'workerFault' | 'first'>;

/** A fault's identity in a failure file: where and what (absolute path, so a replay compares equal). */
export function faultName(f: ScenarioFault): string {
  return `${f.where ?? `CPU${f.cpu}`}: ${f.message}`;
}

/** The ScenarioError text: the user's line first, then where in the run, then how to replay it. */
export function faultMessage(ref: ScenarioRef, f: ScenarioFault, r: ResolvedRun, replay: string | null): string {
  const at = f.where ? shownAt(f.where) : `${'path' in ref ? shown(ref.path) : ref.builtin}: CPU${f.cpu}`;
  const when = `${f.phase === 'setup' ? 'before ' : ''}iteration ${f.iteration}`;
  return [`${at}: ${f.message}`,
    `  in ${f.phase}() on CPU${f.cpu}, ${when} · kernel ${r.profile.name} · mode ${r.mode} · seed ${r.seed}`,
    ...(replay ? [`  ${replay}`] : [])].join('\n');
}

/** A worker that had to be ended, as the report states it. */
export function workerFaultReport(f: WorkerFault, seed: string): WorkerFaultReport {
  return { ...f, message: describeFault(f, seed) };
}

/**
 * The ScenarioError that run `r` ends with, if the scenario's code failed (null if not). A throw is
 * written to a failure file in `out` (null: none) that replays to it; `report` is the report so
 * far, kept when it holds a finding or the worker fault (a throw alone: its message says it all).
 */
export async function scenarioFailed(ref: ScenarioRef, s: Scenario, r: ResolvedRun, end: FaultEnd, out: string | null | undefined,
  report: RunReport | null): Promise<ScenarioError | null> {
  const f = end.fault;
  if (!f) {
    if (!end.workerFault) return null;
    const fault = workerFaultReport(end.workerFault, r.seed);
    if (report) report.scenarioError = fault;
    return new ScenarioError(fault.message, report);
  }
  const schedule = end.first?.kind === 'error' ? end.first.schedule : [];
  const file = failureFile(ref, r, f.iteration, schedule, 'error', faultName(f));
  const verify = await runMachine(ref, s, replayRun(r), {}, { schedule, iteration: f.iteration });
  const verified = verify.fault !== null && faultName(verify.fault) === faultName(f);
  const path = out === null ? null : writeFailureFile(out ?? DEFAULT_OUT, file);
  const replay = path === null ? null : `replay: npx foliorace replay ${path} (${verified ? 'verified: it throws again'
    : `NOT verified: the replay did not throw${r.mode === 'free' ? ' (free-mode order is approximate)' : ''}`})`;
  const inPatch = r.patch !== null && f.where !== null && f.where.startsWith(`${r.patch.path}:`);
  return new (inPatch ? PatchError : ScenarioError)(faultMessage(ref, f, r, replay), report?.firstFailure ? report : null);
}
