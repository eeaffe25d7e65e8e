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
import { UsageError } from './errors.js';
import { readFailureFile, writeFailureFile, type FailureFile } from './failure.js';
import { describeViolation } from './invariants.js';
import { loadScenario, scenarioRef } from './load.js';
import { resolveRunOptions, type ResolvedRun, type RunOptions } from './options.js';
import { runMachine, type FirstFailure, type RawRun, type RunHooks } from './run.js';

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
    const verify = await runMachine(ref, scenario, replayRun(r), {}, { schedule: raw.first.schedule, iteration: raw.first.iteration });
    report.firstFailure.replayVerified = sameFinding(scenario, raw.first, verify.first);
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
  const scenario = await loadScenario(scenarioRef(opts.scenario));
  const list = kernels ?? [scenario.before, scenario.after];
  for (const kernel of list) resolveRunOptions({ ...opts, kernel }, scenario); // every bad name before any run
  const reports: RunReport[] = [];
  for (const kernel of list) reports.push(await runScenario({ ...opts, kernel }, hooks(kernel)));
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
  const report = buildReport(scenario, r, raw);
  const got = raw.first ? findingName(scenario, raw.first) : null;
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
    writeFileSync(path, JSON.stringify(chromeTrace(L, first.events, r.cpus, title)));
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
      schedule: encodeSchedule(raw.first.schedule), replayVerified: false,
      diagram: raceDiagram(layoutOf(r), raw.first.events, r.cpus), truncated: raw.first.truncated,
    };
  }
  return {
    scenario: s.name, kernel: r.profile.name, patches: { ...r.profile.patches }, mode: r.mode, seed: r.seed, cpus: r.cpus,
    iterations: raw.iterations, elapsedMs: round(raw.elapsedMs), startupMs: round(raw.startupMs),
    iterationsPerSecond: raw.elapsedMs > 0 ? Math.round((raw.iterations * 1000) / raw.elapsedMs) : 0,
    simulatedUsPerIteration: raw.simNsPerIteration / 1000,
    outcomes,
    forbidden: outcomes.filter((o) => o.kind === 'forbidden').reduce((a, o) => a + o.count, 0),
    violations: raw.violations, deadlocks: raw.deadlocks, watchdog: raw.watchdog, firstFailure,
  };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
