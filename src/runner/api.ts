// What the CLI and library users call: run a scenario, or replay a failure file, and get a report.
import type { Layout } from '../shm/layout.js';
import { computeLayout } from '../shm/layout.js';
import { encodeSchedule } from '../sched/schedule.js';
import type { Scenario } from '../scenarios/define.js';
import { raceDiagram } from '../report/diagram.js';
import type { FailureReport, OutcomeRow, RunReport, ScenarioFault } from '../report/report.js';
import { chromeTrace } from '../report/trace.js';
import type { ScenarioRef } from './control.js';
import { ScenarioError, UsageError } from './errors.js';
import { readFailureFile, writeFailureFile, type FailureFile } from './failure.js';
import { checkAgainstScenario, scheduleOf } from './failure-validate.js';
import { describeViolation } from './invariants.js';
import { loadScenario, scenarioRef } from './load.js';
import type { Mode } from './modes.js';
import { resolveRunOptions, type ResolvedRun, type RunOptions } from './options.js';
import { runMachine, type FirstFailure, type RawRun, type RunHooks } from './run.js';
import { describeFault, type WorkerFault } from './watchdog.js';
import { writeFileWhole } from './write-whole.js';

export const DEFAULT_OUT = 'foliorace-failures';

/** Runs a scenario; writes the first failure's file (and trace), and checks that it replays. */
export async function runScenario(opts: RunOptions, hooks: RunHooks = {}): Promise<RunReport> {
  const ref = scenarioRef(opts.scenario);
  const scenario = await loadScenario(ref);
  const r = resolveRunOptions(opts, scenario);
  const raw = await runMachine(ref, scenario, r, hooks);
  const report = buildReport(scenario, r, raw);
  if (raw.first && report.firstFailure) {
    const file = failureFileOf(ref, scenario, r, raw.first);
    const verify = raw.fault ? { verified: false, note: 'the scenario failed before it could be replayed' }
      : raw.interrupted ? { verified: false, note: 'the run was interrupted before it could be replayed' }
        : await verifyReplay(ref, scenario, r, raw.first);
    report.firstFailure.replayVerified = verify.verified;
    report.firstFailure.replayNote = verify.note;
    if (opts.out !== null) {
      report.firstFailure.file = writeFailureFile(opts.out ?? DEFAULT_OUT, file);
      if (report.firstFailure.file === null) process.stderr.write(`foliorace: cannot write to ${opts.out ?? DEFAULT_OUT}; the failure file is:\n${JSON.stringify(file)}\n`);
    }
    if (opts.trace) writeTrace(opts.trace, layoutOf(r), raw.first, r, scenario);
  }
  if (report.scenarioError) throw new ScenarioError(report.scenarioError.message, report);
  return report;
}

/**
 * Replays the first failure's schedule once: whether the same finding comes back, and if not, why
 * not in words that name the run's real mode. A replay that itself fails is a note, never a crash.
 */
async function verifyReplay(ref: ScenarioRef, s: Scenario, r: ResolvedRun, first: FirstFailure): Promise<{ verified: boolean; note: string | null }> {
  let again: RawRun;
  try {
    again = await runMachine(ref, s, replayRun(r), {}, { schedule: first.schedule, iteration: first.iteration });
  } catch (e) {
    return { verified: false, note: `its replay stopped: ${(e as Error).message}` };
  }
  if (again.fault) return { verified: false, note: `its replay stopped: ${faultOf(again.fault, r.seed).message}` };
  if (sameFinding(s, first, again.first)) return { verified: true, note: null };
  return { verified: false, note: notReproduced(r.mode, again.replayDiverged) };
}

/** Why a recorded schedule may not reproduce its finding, for a run or file of mode `mode`. */
export function notReproduced(mode: Mode, divergedAtStep: number): string {
  const where = divergedAtStep > 0 ? `; the replay could not follow step ${divergedAtStep} of the schedule` : '';
  return mode === 'free'
    ? `the recorded free-mode schedule did not reproduce it (free-mode ticket order is approximate)${where}`
    : `the recorded ${mode}-mode schedule did not reproduce it (controlled modes replay exactly: the scenario's ` +
      `code is not deterministic, or it changed since the recording)${where}`;
}

/** One scenario under each of `kernels` (default: its before and after profiles), same options otherwise. */
export async function compareScenario(opts: RunOptions, kernels: readonly string[] | undefined,
  hooks: (kernel: string) => RunHooks = () => ({})): Promise<{ reports: RunReport[]; claims: Readonly<Record<string, string>>; error: ScenarioError | null }> {
  const scenario = await loadScenario(scenarioRef(opts.scenario));
  const list = kernels ?? [scenario.before, scenario.after];
  for (const kernel of list) resolveRunOptions({ ...opts, kernel }, scenario); // every bad name before any run
  const reports: RunReport[] = [];
  for (const kernel of list) {
    const h = hooks(kernel);
    try {
      reports.push(await runScenario({ ...opts, kernel }, h));
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      if (e.report) reports.push(e.report);
      return { reports, claims: scenario.claims ?? {}, error: e };
    }
    if (h.signal?.aborted) break;
  }
  return { reports, claims: scenario.claims ?? {}, error: null };
}

/** Replays a failure file; the report says whether the recorded finding came back. */
export async function replayFailure(path: string, opts: { trace?: string } & RunHooks = {}): Promise<RunReport> {
  const f = readFailureFile(path);
  const ref = scenarioRef(f.scenario);
  const scenario = await loadScenario(ref);
  checkAgainstScenario(f, path, scenario);
  let r: ResolvedRun;
  try {
    r = replayRun(resolveRunOptions({ scenario: f.scenario, kernel: f.kernel, patches: f.patches, cpus: f.cpus, seed: f.seed }, scenario));
  } catch (e) {
    throw e instanceof UsageError ? new UsageError(`${path}: ${e.message}`) : e;
  }
  const schedule = scheduleOf(f, path, r.config);
  const raw = await runMachine(ref, scenario, r, opts, { schedule, iteration: f.iteration });
  const report = buildReport(scenario, r, raw);
  const got = raw.first ? findingName(scenario, raw.first) : null;
  const reproduced = raw.first?.kind === f.kind && got === f.outcome;
  report.replay = {
    of: f.mode, iteration: f.iteration, expected: f.outcome, reproduced,
    verdict: reproduced ? 'reproduced' : got !== null ? 'different' : 'not-reproduced', got,
    why: got !== null ? null : raw.interrupted ? 'the replay was interrupted' : notReproduced(f.mode, raw.replayDiverged), divergedAtStep: raw.replayDiverged,
  };
  if (report.firstFailure) {
    report.firstFailure.file = path;
    report.firstFailure.replayVerified = report.replay.reproduced;
  }
  if (opts.trace && raw.first) writeTrace(opts.trace, layoutOf(r), raw.first, r, scenario);
  if (report.scenarioError) throw new ScenarioError(report.scenarioError.message, report);
  return report;
}

function faultOf(f: WorkerFault, seed: string): ScenarioFault {
  return { ...f, message: describeFault(f, seed) };
}

/** The same run, replaying one iteration under the replay strategy. */
function replayRun(r: ResolvedRun): ResolvedRun {
  return { ...r, mode: 'replay', iterations: 1, durationMs: 0, stopOnFirst: false, jitter: 0 };
}

function layoutOf(r: ResolvedRun): Layout {
  return computeLayout(r.config);
}

function findingName(s: Scenario, f: FirstFailure): string {
  if (f.kind === 'forbidden') return Object.keys(s.outcomes)[f.code] ?? `outcome ${f.code}`;
  if (f.kind === 'violation') return describeViolation({ code: f.code, subject: f.args[0], a: f.args[1], b: f.args[2] });
  return `deadlock: ${f.sites.map((site, c) => `CPU${c} in ${site || 'its idle loop'}`).join(', ')}`;
}

function sameFinding(s: Scenario, a: FirstFailure, b: FirstFailure | null): boolean {
  return b !== null && b.iteration === a.iteration && b.kind === a.kind && findingName(s, b) === findingName(s, a);
}

function failureFileOf(ref: ScenarioRef, s: Scenario, r: ResolvedRun, first: FirstFailure): FailureFile {
  return {
    foliorace: 1, scenario: 'builtin' in ref ? ref.builtin : ref.path, kernel: r.profile.name,
    patches: { ...r.profile.patches }, mode: r.mode, seed: r.seed, cpus: r.cpus, iteration: first.iteration,
    schedule: encodeSchedule(first.schedule), kind: first.kind, outcome: findingName(s, first),
  };
}

function writeTrace(path: string, L: Layout, first: FirstFailure, r: ResolvedRun, s: Scenario): void {
  const title = `${s.name} · kernel ${r.profile.name} · ${r.mode} · seed ${r.seed} · iteration ${first.iteration}`;
  try {
    writeFileWhole(path, JSON.stringify(chromeTrace(L, first.events, r.cpus, title)));
  } catch (e) {
    throw new UsageError(`--trace: cannot write ${path}: ${(e as Error).message}`);
  }
}

function buildReport(s: Scenario, r: ResolvedRun, raw: RawRun): RunReport {
  const outcomes: OutcomeRow[] = Object.entries(s.outcomes).map(([name, kind], i) => ({ name, kind, count: raw.outcomeCounts[i] ?? 0 }));
  let firstFailure: FailureReport | null = null;
  if (raw.first) {
    firstFailure = {
      iteration: raw.first.iteration, kind: raw.first.kind, outcome: findingName(s, raw.first), file: null,
      schedule: encodeSchedule(raw.first.schedule), replayVerified: false, replayNote: null,
      diagram: raceDiagram(layoutOf(r), raw.first.events, r.cpus, raw.first.kind === 'deadlock' ? raw.first.sites : undefined),
      truncated: raw.first.truncated,
    };
  }
  return {
    scenario: s.name, kernel: r.profile.name, patches: { ...r.profile.patches }, mode: r.mode, seed: r.seed, cpus: r.cpus,
    iterations: raw.iterations, elapsedMs: round(raw.elapsedMs), startupMs: round(raw.startupMs),
    iterationsPerSecond: raw.elapsedMs > 0 ? Math.round((raw.iterations * 1000) / raw.elapsedMs) : 0,
    outcomes,
    forbidden: outcomes.filter((o) => o.kind === 'forbidden').reduce((a, o) => a + o.count, 0),
    violations: raw.violations, deadlocks: raw.deadlocks, watchdog: raw.watchdog, firstFailure,
    interrupted: raw.interrupted, scenarioError: raw.fault ? faultOf(raw.fault, r.seed) : null,
  };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
