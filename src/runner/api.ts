// What the CLI and library users call: run a scenario, or replay a failure file, and get a report.
import { writeFileSync } from 'node:fs';
import type { Layout } from '../shm/layout.js';
import { computeLayout } from '../shm/layout.js';
import { decodeSchedule, encodeSchedule } from '../sched/schedule.js';
import type { Scenario } from '../scenarios/define.js';
import { raceDiagram } from '../report/diagram.js';
import type { FailureReport, OutcomeRow, RunReport } from '../report/report.js';
import { chromeTrace } from '../report/trace.js';
import type { ScenarioRef } from './control.js';
import { ScenarioError, UsageError } from './errors.js';
import { readFailureFile, writeFailureFile, type FailureFile } from './failure.js';
import { describeViolation } from './invariants.js';
import { loadScenario, scenarioRef } from './load.js';
import { resolveRunOptions, type ResolvedRun, type RunOptions } from './options.js';
import type { ScenarioFault } from './scenario-fault.js';
import { shown } from './typecheck.js';
import { runMachine, type FirstFailure, type RawRun, type RunHooks } from './run.js';

export const DEFAULT_OUT = 'foliorace-failures';

/** Runs a scenario; writes the first failure's file (and trace), and checks that it replays. */
export async function runScenario(opts: RunOptions, hooks: RunHooks = {}): Promise<RunReport> {
  const ref = scenarioRef(opts.scenario);
  const scenario = await loadScenario(ref, { typecheck: opts.typecheck ?? true });
  const r = resolveRunOptions(opts, scenario);
  const raw = await runMachine(ref, scenario, r, hooks);
  if (raw.fault) return scenarioFailed(ref, scenario, r, raw, raw.fault, opts.out);
  const report = buildReport(scenario, r, raw);
  if (raw.first && report.firstFailure) {
    const file = failureFileOf(ref, scenario, r, raw, raw.first);
    const verify = await runMachine(ref, scenario, replayRun(r), {}, { schedule: raw.first.schedule, iteration: raw.first.iteration });
    report.firstFailure.replayVerified = sameFinding(scenario, raw, raw.first, verify, verify.first);
    if (opts.out !== null) {
      report.firstFailure.file = writeFailureFile(opts.out ?? DEFAULT_OUT, file);
      if (report.firstFailure.file === null) process.stderr.write(`foliorace: cannot write to ${opts.out ?? DEFAULT_OUT}; the failure file is:\n${JSON.stringify(file)}\n`);
    }
    if (opts.trace) writeTrace(opts.trace, layoutOf(r), raw.first, r, scenario);
  }
  return report;
}

/** One scenario under each of `kernels` (default: its before and after profiles), same options otherwise. */
export async function compareScenario(opts: RunOptions, kernels: readonly string[] | undefined,
  hooks: (kernel: string) => RunHooks = () => ({})): Promise<{ reports: RunReport[]; claims: Readonly<Record<string, string>> }> {
  const scenario = await loadScenario(scenarioRef(opts.scenario), { typecheck: opts.typecheck ?? true });
  const list = kernels ?? [scenario.before, scenario.after];
  for (const kernel of list) resolveRunOptions({ ...opts, kernel }, scenario); // every bad name before any run
  const reports: RunReport[] = [];
  for (const kernel of list) reports.push(await runScenario({ ...opts, kernel, typecheck: false }, hooks(kernel)));
  return { reports, claims: scenario.claims ?? {} };
}

/** Replays a failure file; the report says whether the recorded finding came back. */
export async function replayFailure(path: string, opts: { trace?: string } = {}): Promise<RunReport> {
  const f = readFailureFile(path);
  const ref = scenarioRef(f.scenario);
  const scenario = await loadScenario(ref);
  const r = replayRun(resolveRunOptions({ scenario: f.scenario, kernel: f.kernel, patches: f.patches, cpus: f.cpus, seed: f.seed }, scenario));
  let schedule: number[];
  try {
    schedule = decodeSchedule(f.schedule, f.cpus);
  } catch (e) {
    throw new UsageError(`${path}: ${(e as Error).message}`);
  }
  const raw = await runMachine(ref, scenario, r, {}, { schedule, iteration: f.iteration });
  if (raw.fault && f.kind === 'error' && faultName(raw.fault) === f.outcome) {
    throw new ScenarioError(faultMessage(ref, raw.fault, { ...r, mode: f.mode }, `replayed from ${path}: it throws again`));
  }
  const report = buildReport(scenario, r, raw);
  const got = raw.first ? findingName(scenario, raw, raw.first) : null;
  report.replay = {
    of: f.mode, iteration: f.iteration, expected: f.outcome,
    reproduced: raw.first?.kind === f.kind && got === f.outcome, divergedAtStep: raw.replayDiverged,
  };
  if (report.firstFailure) {
    report.firstFailure.file = path;
    report.firstFailure.replayVerified = report.replay.reproduced;
  }
  if (opts.trace && raw.first) writeTrace(opts.trace, layoutOf(r), raw.first, r, scenario);
  return report;
}

/** The same run, replaying one iteration under the replay strategy. */
function replayRun(r: ResolvedRun): ResolvedRun {
  return { ...r, mode: 'replay', iterations: 1, durationMs: 0, stopOnFirst: false, jitter: 0 };
}

function layoutOf(r: ResolvedRun): Layout {
  return computeLayout(r.config);
}

function findingName(s: Scenario, raw: RawRun, f: FirstFailure): string {
  switch (f.kind) {
    case 'forbidden': return Object.keys(s.outcomes)[f.code] ?? `outcome ${f.code}`;
    case 'unknown': return Object.keys(raw.unknownOutcomes)[f.code] ?? `unknown outcome ${f.code}`;
    case 'violation': return describeViolation({ code: f.code, subject: f.args[0], a: f.args[1], b: f.args[2] });
    case 'error': return raw.fault ? faultName(raw.fault) : `scenario error on CPU${f.code}`;
    case 'deadlock': return `deadlock: ${f.sites.map((site, c) => `CPU${c} in ${site || 'its idle loop'}`).join(', ')}`;
  }
}

function sameFinding(s: Scenario, rawA: RawRun, a: FirstFailure, rawB: RawRun, b: FirstFailure | null): boolean {
  return b !== null && b.iteration === a.iteration && b.kind === a.kind && findingName(s, rawB, b) === findingName(s, rawA, a);
}

function failureFileOf(ref: ScenarioRef, s: Scenario, r: ResolvedRun, raw: RawRun, first: FirstFailure): FailureFile {
  return {
    foliorace: 1, scenario: 'builtin' in ref ? ref.builtin : ref.path, kernel: r.profile.name,
    patches: { ...r.profile.patches }, mode: r.mode, seed: r.seed, cpus: r.cpus, iteration: first.iteration,
    schedule: encodeSchedule(first.schedule), kind: first.kind, outcome: findingName(s, raw, first),
  };
}

/** A fault's identity in a failure file: where and what (absolute path, so a replay compares equal). */
function faultName(f: ScenarioFault): string {
  return `${f.where ?? `CPU${f.cpu}`}: ${f.message}`;
}

/** The ScenarioError text: the user's line first, then where in the run, then how to replay it. */
function faultMessage(ref: ScenarioRef, f: ScenarioFault, r: ResolvedRun, replay: string | null): string {
  const at = f.where ? shownAt(f.where) : `${'path' in ref ? shown(ref.path) : ref.builtin}: CPU${f.cpu}`;
  const when = `${f.phase === 'setup' ? 'before ' : ''}iteration ${f.iteration}`;
  return [`${at}: ${f.message}`,
    `  in ${f.phase}() on CPU${f.cpu}, ${when} · kernel ${r.profile.name} · mode ${r.mode} · seed ${r.seed}`,
    ...(replay ? [`  ${replay}`] : [])].join('\n');
}

/** `file:line:col` with the file as the user would type it. */
function shownAt(where: string): string {
  const m = /^(.*)(:\d+:\d+)$/.exec(where);
  return m ? `${shown(m[1]!)}${m[2]}` : where;
}

/**
 * The scenario's code threw: write a failure file that replays to the throw, check that it does,
 * and end with a ScenarioError (exit 2) that says where.
 */
async function scenarioFailed(ref: ScenarioRef, s: Scenario, r: ResolvedRun, raw: RawRun, f: ScenarioFault,
  out: string | null | undefined): Promise<never> {
  const schedule = raw.first?.kind === 'error' ? raw.first.schedule : [];
  const file: FailureFile = {
    foliorace: 1, scenario: 'builtin' in ref ? ref.builtin : ref.path, kernel: r.profile.name,
    patches: { ...r.profile.patches }, mode: r.mode, seed: r.seed, cpus: r.cpus, iteration: f.iteration,
    schedule: encodeSchedule(schedule), kind: 'error', outcome: faultName(f),
  };
  const verify = await runMachine(ref, s, replayRun(r), {}, { schedule, iteration: f.iteration });
  const verified = verify.fault !== null && faultName(verify.fault) === faultName(f);
  const path = out === null ? null : writeFailureFile(out ?? DEFAULT_OUT, file);
  const replay = path === null ? null
    : `replay: npx foliorace replay ${path} (${verified ? 'verified: it throws again' : 'NOT verified: the replay did not throw (free-mode order is approximate)'})`;
  throw new ScenarioError(faultMessage(ref, f, r, replay));
}

function writeTrace(path: string, L: Layout, first: FirstFailure, r: ResolvedRun, s: Scenario): void {
  const title = `${s.name} · kernel ${r.profile.name} · ${r.mode} · seed ${r.seed} · iteration ${first.iteration}`;
  try {
    writeFileSync(path, JSON.stringify(chromeTrace(L, first.events, r.cpus, title)));
  } catch (e) {
    throw new UsageError(`--trace: cannot write ${path}: ${(e as Error).message}`);
  }
}

function buildReport(s: Scenario, r: ResolvedRun, raw: RawRun): RunReport {
  const outcomes: OutcomeRow[] = Object.entries(s.outcomes).map(([name, kind], i) => ({ name, kind, count: raw.outcomeCounts[i] ?? 0 }));
  for (const [name, count] of Object.entries(raw.unknownOutcomes)) outcomes.push({ name, kind: 'unknown', count });
  let firstFailure: FailureReport | null = null;
  if (raw.first && raw.first.kind !== 'error') {
    firstFailure = {
      iteration: raw.first.iteration, kind: raw.first.kind, outcome: findingName(s, raw, raw.first), file: null,
      schedule: encodeSchedule(raw.first.schedule), replayVerified: false,
      diagram: raceDiagram(layoutOf(r), raw.first.events, r.cpus), truncated: raw.first.truncated,
    };
  }
  return {
    scenario: s.name, kernel: r.profile.name, patches: { ...r.profile.patches }, mode: r.mode, seed: r.seed, cpus: r.cpus,
    iterations: raw.iterations, elapsedMs: round(raw.elapsedMs), startupMs: round(raw.startupMs),
    iterationsPerSecond: raw.elapsedMs > 0 ? Math.round((raw.iterations * 1000) / raw.elapsedMs) : 0,
    outcomes,
    forbidden: outcomes.filter((o) => o.kind === 'forbidden').reduce((a, o) => a + o.count, 0),
    violations: raw.violations, deadlocks: raw.deadlocks,
    unknown: Object.values(raw.unknownOutcomes).reduce((a, n) => a + n, 0), watchdog: raw.watchdog, firstFailure,
  };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
