// What the CLI and library users call: run a scenario, or replay a failure file, and get a report.
import type { Layout } from '../shm/layout.js';
import { computeLayout } from '../shm/layout.js';
import { encodeSchedule } from '../sched/schedule.js';
import type { Scenario } from '../scenario/define.js';
import { scheduleCaption } from '../report/caption.js';
import { failureDiagram } from '../report/ref-holders.js';
import { memoryField, REPLAY_FORMAT, RUN_FORMAT, type FailureReport, type OutcomeRow, type RunReport } from '../report/report.js';
import { chromeTrace } from '../report/trace.js';
import { decodeReplayString, replayStringOf, type DecodedReplayString } from '../repro/replay-string.js';
import { ProfileError, resolveProfile } from '../kernel/profile.js';
import { countPreemptions } from '../sched/preemption.js';
import { FOLIORACE_VERSION, profileFingerprint } from '../version.js';
import type { ScenarioRef } from '../cpu/protocol.js';
import { ScenarioError, UsageError } from '../errors.js';
import { checkAgainstScenario, scheduleOf } from '../repro/failure-validate.js';
import {
  DEFAULT_OUT, failureFile, fingerprintOf, patchIdentity, readFailureFile, writeFailureFile, type FailureFile,
} from '../repro/failure.js';
import { failureRun } from '../repro/failure-run.js';
import { faultMessage, faultName, scenarioFailed, workerFaultReport, type FaultEnd } from '../repro/scenario-error.js';
import { findingName, sameFinding, type RunNames } from '../repro/finding.js';
import { loadPatch, loadScenario, scenarioRef } from '../load/load.js';
import type { Mode } from '../sched/modes.js';
import { loadProbe } from '../load/probe.js';
import {
  DEFAULT_CONVERT_BUDGET_MS, kernelWithPatch, recordedPatches, replayRun, resolveRunOptions, type ResolvedRun, type RunOptions,
} from '../host/options.js';
import { reproduce, shrinkReport, shrunkRecord, type Reproduction } from '../repro/reproduce.js';
import { DEFAULT_PREEMPTION_BOUND, runExhaustive } from '../host/exhaustive-run.js';
import { runVerify, type VerifyHooks } from '../host/verify-run.js';
import { FedFault } from '../host/explorer.js';
import { runMachine, type FirstFailure, type RawRun, type RunHooks } from '../host/run-machine.js';
import { writeFileWhole } from '../report/write-whole.js';
import { provideRunApi } from '../cpu/import-scenario.js';

/** Runs a scenario; writes the first failure's file (and trace), and checks that it replays. */
export async function runScenario(opts: RunOptions, hooks: VerifyHooks = {}): Promise<RunReport> {
  const ref = scenarioRef(opts.scenario);
  const load = { typecheck: opts.typecheck ?? true, probe: loadProbe(opts, hooks.signal) };
  const scenario = await loadScenario(ref, load);
  const r = resolveRunOptions(opts, scenario, opts.patchFile === undefined ? null : await loadPatch(opts.patchFile, load));
  const ex = r.mode === 'exhaustive'
    ? await runExhaustive(ref, scenario, r, opts.preemptions ?? DEFAULT_PREEMPTION_BOUND, opts.iterations ?? 1, hooks) : null;
  const ver = r.mode === 'verify' ? await runVerify(ref, scenario, r, opts.preemptions ?? null, opts.iterations ?? 1, hooks, opts.part) : null;
  const raw = ex ? ex.raw : ver ? ver.raw : await runMachine(ref, scenario, r, hooks);
  const report = buildReport(scenario, r, raw);
  if (ex) report.exhaustive = ex.facts;
  if (ver) report.verify = ver.facts;
  /** How the run ended: the scenario's fault, if its code failed in the run or in a fed run reproducing the finding. */
  let end: FaultEnd = raw;
  if (raw.first && report.firstFailure) {
    // an undeclared outcome is named by its run alone, so it is written as found, not searched for
    // (nor is a finding of a run the scenario's fault ended, or that a signal stopped)
    const why = raw.first.kind === 'unknown' ? 'an undeclared outcome is written as found, not searched for'
      : raw.fault || raw.workerFault ? 'the scenario failed before it could be replayed'
        : raw.interrupted ? 'the run was interrupted before it could be replayed' : null;
    const target = { kind: raw.first.kind, name: report.firstFailure.outcome };
    const none: Reproduction = { exact: null, conversion: null, shrunk: null, shown: null };
    let stopped: string | null = null;
    const rep: Reproduction = why !== null ? none
      : await reproduce(ref, scenario, r, raw.first, target,
        { shrink: opts.shrink ?? true, convertBudgetMs: opts.convertBudgetMs ?? DEFAULT_CONVERT_BUDGET_MS, signal: hooks.signal })
        .catch((e: unknown) => {
          if (e instanceof FedFault) {
            end = e.ended;
            stopped = 'a schedule run to reproduce it reached the scenario\'s own error (below)';
          } else stopped = `its replay stopped: ${e instanceof Error ? e.message : String(e)}`;
          return none;
        });
    const shown = rep.shown ?? raw.first;
    const file = failureFileOf(ref, scenario, r, raw.first, rep, namesOf(raw));
    const facts = { ...failureFacts(r, rep), replayString: file.replayString! };
    const caption = scheduleCaption(shown.schedule.length, facts.preemptions, facts.shrunk);
    Object.assign(report.firstFailure, facts, {
      schedule: encodeSchedule(shown.schedule), replayVerified: rep.exact !== null,
      replayNote: rep.exact !== null ? null : why ?? stopped ?? (hooks.signal?.aborted
        ? 'a stop signal ended the search for an exact schedule' : notReproduced(r.mode, rep.conversion?.divergedAtStep ?? 0)),
      diagram: captioned(caption, diagramOf(r, shown)), truncated: shown.truncated,
    });
    if (opts.out !== null) {
      report.firstFailure.file = writeFailureFile(opts.out ?? DEFAULT_OUT, file);
      if (report.firstFailure.file === null) process.stderr.write(`foliorace: cannot write to ${opts.out ?? DEFAULT_OUT}; the failure file is:\n${JSON.stringify(file)}\n`);
    }
    if (opts.trace) writeTrace(opts.trace, layoutOf(r), shown, r, scenario, caption);
  }
  const failed = await scenarioFailed(ref, scenario, r, end, opts.out, report);
  if (failed) throw failed;
  return report;
}

/** Why a recorded schedule may not reproduce its finding, for a run or file of mode `mode`. */
export function notReproduced(mode: Mode, divergedAtStep: number): string {
  const where = divergedAtStep > 0 ? `; the replay could not follow step ${divergedAtStep} of the schedule` : '';
  return mode === 'free'
    ? `the recorded free-mode schedule did not reproduce it, and no exact schedule was found within the budget${where}`
    : `the recorded ${mode}-mode schedule did not reproduce it (controlled modes replay exactly: the scenario's ` +
      `code is not deterministic, or it changed since the recording)${where}`;
}

/**
 * One scenario under each of `kernels` (default: its before and after profiles), same options
 * otherwise. A kernel may carry a patch file: "6.17+./fix.ts" (kernelWithPatch()).
 */
export async function compareScenario(opts: RunOptions, kernels: readonly string[] | undefined,
  hooks: (kernel: string) => RunHooks = () => ({}), signal?: AbortSignal):
  Promise<{ reports: RunReport[]; claims: Readonly<Record<string, string>>; error: ScenarioError | null }> {
  const load = { typecheck: opts.typecheck ?? true, probe: loadProbe(opts, signal) };
  const scenario = await loadScenario(scenarioRef(opts.scenario), load);
  const list = kernels ?? [scenario.before, scenario.after];
  for (const kernel of list) { // every bad name and patch file before any run
    const k = kernelWithPatch(kernel);
    resolveRunOptions({ ...opts, ...k }, scenario, k.patchFile === undefined ? null : await loadPatch(k.patchFile, load));
  }
  const reports: RunReport[] = [];
  for (const kernel of list) {
    const h = hooks(kernel);
    try {
      reports.push(await runScenario({ ...opts, ...kernelWithPatch(kernel) }, h));
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      if (e.report) reports.push(e.report);
      return { reports, claims: scenario.claims ?? {}, error: e };
    }
    if (h.signal?.aborted) break;
  }
  return { reports, claims: scenario.claims ?? {}, error: null };
}

/**
 * Replays a failure file: its shrunk schedule if it has one (`original`: the schedule it was found
 * with); the report says whether the recorded finding came back.
 */
export async function replayFailure(path: string, opts: ReplayOptions = {}): Promise<RunReport> {
  return replayRecord(readFailureFile(path), path, opts);
}

/** `watchdogMs`, `workerMemoryMb`: as a run's (--watchdog, --worker-memory). */
export interface ReplayOptions extends RunHooks, Pick<RunOptions, 'watchdogMs' | 'workerMemoryMb'> {
  trace?: string;
  /** Replay the schedule the failure was found with, not its shrunk one. */
  original?: boolean;
}

/** Replays a failure record read from file `source` (null: from a replay string). */
export async function replayRecord(f: FailureFile, source: string | null, opts: ReplayOptions = {}): Promise<RunReport> {
  const from = source ?? 'replay string';
  const ref = scenarioRef(f.scenario);
  const scenario = await loadScenario(ref, { probe: loadProbe({}, opts.signal) });
  checkAgainstScenario(f, from, scenario);
  const recorded = await failureRun(f, from, scenario, { watchdogMs: opts.watchdogMs, workerMemoryMb: opts.workerMemoryMb }, opts.signal);
  const r = replayRun(recorded.r);
  const useShrunk = f.shrunk !== undefined && !opts.original;
  const original = scheduleOf(f, from, r.config); // checked even when the shrunk one is replayed
  const schedule = useShrunk ? scheduleOf({ ...f, schedule: f.shrunk!.schedule }, `${from} (shrunk)`, r.config) : original;
  const raw = await runMachine(ref, scenario, r, opts, { schedule, iteration: f.iteration });
  if (raw.fault) {
    const again = f.kind === 'error' && faultName(raw.fault) === f.outcome;
    throw new ScenarioError(faultMessage(ref, raw.fault, { ...r, mode: f.mode }, `replayed from ${source ?? 'the replay string'}: ` +
      (again ? 'it throws again' : `it throws (the file recorded ${f.kind === 'error' ? 'another error' : `${f.kind} ${f.outcome}`})`)));
  }
  const report = buildReport(scenario, r, raw);
  const got = raw.first ? findingName(scenario, raw.first, namesOf(raw)) : null;
  const reproduced = raw.first?.kind === f.kind && got !== null && sameFinding(f.kind, got, f.outcome);
  report.format = REPLAY_FORMAT;
  report.replay = {
    of: f.mode, iteration: f.iteration, expected: f.outcome, reproduced,
    verdict: reproduced ? 'reproduced' : got !== null ? 'different' : 'not-reproduced', got,
    why: got !== null ? null : raw.interrupted ? 'the replay was interrupted' : notReproduced(f.mode, raw.replayDiverged),
    divergedAtStep: raw.replayDiverged,
  };
  if (recorded.patchChanged) report.patchChanged = recorded.patchChanged;
  // the model itself, under the patch file as it was recorded
  const asRecorded = recorded.patchChanged ? profileFingerprint(r.profile.patches, recorded.patchChanged.recorded) : report.fingerprint;
  if (f.fingerprint !== asRecorded) report.modelChanged = { recorded: f.fingerprint ?? null, now: report.fingerprint! };
  if (report.firstFailure) {
    report.firstFailure.file = source;
    report.firstFailure.replayVerified = report.replay.reproduced;
    report.firstFailure.replayString = replayStringOf(f);
    if (useShrunk) {
      const k = f.shrunk!;
      report.firstFailure.preemptions = k.preemptions;
      report.firstFailure.shrunk = { preemptions: k.preemptions, steps: k.steps, fromPreemptions: k.fromPreemptions,
        fromSteps: k.fromSteps, ms: 0, runs: 0 };
    }
  }
  const caption = report.firstFailure ? scheduleCaption(schedule.length, report.firstFailure.preemptions, report.firstFailure.shrunk) : '';
  if (report.firstFailure) report.firstFailure.diagram = captioned(caption, report.firstFailure.diagram);
  if (opts.trace && raw.first) writeTrace(opts.trace, layoutOf(r), raw.first, r, scenario, caption);
  if (report.scenarioError) throw new ScenarioError(report.scenarioError.message, report);
  return report;
}

/** Replays a replay string (repro/replay-string.ts). */
export async function replayString(text: string, opts: ReplayOptions = {}): Promise<RunReport> {
  let d: DecodedReplayString;
  try {
    d = decodeReplayString(text);
  } catch (e) {
    throw new UsageError(`not a foliorace replay string: ${(e as Error).message}`);
  }
  let patches: Record<string, boolean>;
  try {
    patches = { ...resolveProfile(d.kernel, d.patches).patches };
  } catch (e) {
    if (e instanceof ProfileError) throw new UsageError(`replay string: ${e.message}`);
    throw e;
  }
  const f: FailureFile = {
    foliorace: 1, scenario: d.scenario, kernel: d.kernel, patches, ...(d.patchFile ? { patchFile: d.patchFile } : {}), mode: d.mode,
    ...memoryField(d.memory), seed: '0', cpus: d.cpus, iteration: d.iteration,
    schedule: d.schedule, kind: d.kind, outcome: d.outcome, version: d.version, fingerprint: d.fingerprint,
  };
  return replayRecord(f, null, opts);
}

function layoutOf(r: ResolvedRun): Layout {
  return computeLayout(r.config);
}

function failureFileOf(ref: ScenarioRef, s: Scenario, r: ResolvedRun, first: FirstFailure, rep: Reproduction, names: RunNames): FailureFile {
  const f = failureFile(ref, r, first.iteration, rep.exact?.schedule ?? first.schedule, first.kind, findingName(s, first, names));
  f.exact = rep.exact !== null;
  const c = rep.conversion;
  if (c) {
    const runs = c.tried.recorded + c.tried.nearDivergence + c.tried.pct;
    f.converted = { converted: c.found !== null, phase: c.phase, runs, recordedOrder: encodeSchedule(first.schedule) };
  }
  if (rep.shrunk) f.shrunk = shrunkRecord(rep.shrunk);
  f.replayString = replayStringOf(f);
  return f;
}

/** What the report says of a reproduction: preemptions, shrinking, conversion. */
function failureFacts(r: ResolvedRun, rep: Reproduction): Pick<FailureReport, 'preemptions' | 'shrunk' | 'conversion'> {
  const k = rep.shrunk;
  const c = rep.conversion;
  return {
    preemptions: k ? k.preemptions : rep.exact ? countPreemptions(rep.exact) : null,
    shrunk: k ? shrinkReport(k) : null,
    conversion: r.mode !== 'free' || !c ? null
      : { converted: c.found !== null, phase: c.phase, ms: c.ms, tried: c.tried, divergedAtStep: c.divergedAtStep },
  };
}

/** The names a run gives its undeclared outcomes and its fault (finding.ts). */
function namesOf(raw: RawRun): RunNames {
  return { unknown: Object.keys(raw.unknownOutcomes), fault: raw.fault ? faultName(raw.fault) : null };
}

function writeTrace(path: string, L: Layout, first: FirstFailure, r: ResolvedRun, s: Scenario, caption: string): void {
  const title = `${s.name} · kernel ${r.profile.name} · ${r.mode} · seed ${r.seed} · iteration ${first.iteration}` +
    (caption ? ` · ${caption}` : '');
  try {
    writeFileWhole(path, JSON.stringify(chromeTrace(L, first.events, r.cpus, title)));
  } catch (e) {
    throw new UsageError(`--trace: cannot write ${path}: ${(e as Error).message}`);
  }
}

function diagramOf(r: ResolvedRun, f: FirstFailure): string {
  return failureDiagram(layoutOf(r), f, r.cpus);
}

function captioned(caption: string, diagram: string): string {
  return caption ? `${caption}\n${diagram}` : diagram;
}

function buildReport(s: Scenario, r: ResolvedRun, raw: RawRun): RunReport {
  const outcomes: OutcomeRow[] = Object.entries(s.outcomes).map(([name, kind], i) => ({ name, kind, count: raw.outcomeCounts[i] ?? 0 }));
  for (const [name, count] of Object.entries(raw.unknownOutcomes)) outcomes.push({ name, kind: 'unknown', count });
  let firstFailure: FailureReport | null = null;
  if (raw.first && raw.first.kind !== 'error') {
    firstFailure = {
      iteration: raw.first.iteration, kind: raw.first.kind, outcome: findingName(s, raw.first, namesOf(raw)), file: null,
      schedule: encodeSchedule(raw.first.schedule), replayVerified: false, replayNote: null,
      diagram: diagramOf(r, raw.first), truncated: raw.first.truncated,
    };
  }
  return {
    format: RUN_FORMAT, scenario: s.name, kernel: r.profile.name, patches: recordedPatches(r), ...patchIdentity(r), mode: r.mode,
    ...memoryField(r.memory), seed: r.seed, cpus: r.cpus, version: FOLIORACE_VERSION, fingerprint: fingerprintOf(r),
    iterations: raw.iterations, elapsedMs: round(raw.elapsedMs), startupMs: round(raw.startupMs),
    iterationsPerSecond: raw.elapsedMs > 0 ? Math.round((raw.iterations * 1000) / raw.elapsedMs) : 0,
    simulatedUsPerIteration: raw.simNsPerIteration / 1000,
    outcomes,
    forbidden: outcomes.filter((o) => o.kind === 'forbidden').reduce((a, o) => a + o.count, 0),
    violations: raw.violations, deadlocks: raw.deadlocks, livelocks: raw.livelocks,
    unknown: Object.values(raw.unknownOutcomes).reduce((a, n) => a + n, 0), watchdog: raw.watchdog, firstFailure,
    interrupted: raw.interrupted, scenarioError: raw.workerFault ? workerFaultReport(raw.workerFault, r.seed) : null,
  };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

// a scenario file imported on this thread sees the run API in its 'foliorace' too
provideRunApi({ runScenario, replayFailure });
