#!/usr/bin/env node
// The foliorace command: argv → resolved options → runner → report → exit code.
import { PATCHES, PROFILES } from '../kernel/profile.js';
import { NOT_MODELLED } from '../kernel/stubs.js';
import { cpuRange } from '../scenario/define.js';
import { BUILTIN_SCENARIOS } from '../scenarios/index.js';
import { SELFTEST_SCENARIOS } from '../scenarios/selftests/index.js';
import { compareScenario, replayFailure, replayString, runScenario } from '../api/run.js';
import { isReplayString } from '../repro/replay-string.js';
import { CrashError, PatchError, ScenarioError, StoppedError, UsageError } from '../errors.js';
import { DEFAULT_ITERATIONS, randomSeed, type RunOptions } from '../host/options.js';
import { exitCodeOf, type RunReport } from '../report/report.js';
import { failureBlock, outcomeTable, replayVerdict } from '../report/table.js';
import { compareJson, compareRows, compareTable } from '../report/compare.js';
import { KERNELS_FORMAT, kernelsText, listText } from './listings.js';
import { reporterFlag, traceLine, writeJunit } from './reporters.js';
import { tapReport } from '../report/ci.js';
import { allowOnly, atMostPositional, has, kernelsFlag, parseArgs, runOptions, traceFlag, limitFlags, type Parsed } from './args.js';
import { bench } from './bench.js';
import { campaign, merge, report } from './campaign.js';
import { init } from './init.js';
import { runDemo } from './demo.js';
import { selftests } from './selftests.js';
import { HELP } from './help.js';
import { checkOutputFile, checkRunOutputs } from './out-paths.js';
import { progressBar, type SearchStatus } from './progress.js';
import { shrinkCommand } from './shrink.js';
import { trapStopSignals } from './signals.js';
import { modelChangedLine, patchChangedLine, versionLine } from './version-lines.js';

const RUN_FLAGS = ['kernel', 'patch', 'mode', 'memory', 'cpus', 'iterations', 'duration', 'seed', 'out', 'no-out', 'trace', 'jitter',
  'watchdog', 'worker-memory', 'json', 'stop-on-first', 'debug', 'help', 'no-typecheck', 'reporter', 'junit', 'no-shrink',
  'convert-budget', 'preemptions', 'part', 'part-depth'];

/** SIGINT/SIGTERM for every command: commands pass `stop.signal` to what they run. */
const stop = trapStopSignals(() => { if (process.stderr.isTTY) process.stderr.write('\r\x1b[K'); });
// What ps and top show; set once the handlers are in place (from then on a signal gets the report).
process.title = 'foliorace';

async function main(argv: readonly string[]): Promise<number> {
  if (argv.length === 0) { process.stderr.write(`${HELP['']}\n`); return 2; }
  const p = parseArgs(argv);
  if (has(p, 'help') || p.command === 'help') {
    const topic = p.command === 'help' ? p.positional[0] ?? '' : p.command;
    process.stdout.write(`${HELP[topic] ?? HELP['']}\n`);
    return 0;
  }
  if (has(p, 'version') && p.command === '') { process.stdout.write(`${versionLine()}\n`); return 0; }
  switch (p.command) {
    case 'list': return list(p);
    case 'kernels': return kernels(p);
    case 'run': return run(p);
    case 'replay': return replay(p);
    case 'compare': return compare(p);
    case 'demo': allowOnly(p, ['json', 'debug']); atMostPositional(p, 0, 'foliorace demo [--json]'); return runDemo(has(p, 'json'), stop.signal);
    case 'bench': return bench(p, stop.signal);
    case 'campaign': return campaign(p, stop.signal);
    case 'merge': return merge(p);
    case 'report': return report(p);
    case 'init': return init(p);
    case 'selftests': return selftests(p, stop.signal);
    case 'shrink': return shrinkCommand(p, stop.signal);
    case '': process.stderr.write(`${HELP['']}\n`); return 2;
    default: throw new UsageError(`unknown command "${p.command}"; commands: list, kernels, run, compare, replay, shrink, demo, bench, campaign, merge, report, init, selftests (see foliorace --help)`);
  }
}

/** The iteration limit the progress bar counts to (0: only the duration limits the run). */
function iterationLimit(o: RunOptions): number {
  return o.iterations ?? (o.durationMs ? 0 : DEFAULT_ITERATIONS);
}

function json(x: unknown): void {
  process.stdout.write(`${JSON.stringify(x, null, 2)}\n`);
}

function list(p: Parsed): number {
  allowOnly(p, ['json', 'debug']);
  atMostPositional(p, 0, 'foliorace list [--json]');
  const rows = BUILTIN_SCENARIOS.map((s) => {
    const r = cpuRange(s);
    return { name: s.name, cpus: r.min === r.max ? String(r.min) : `${r.min}-${r.max} (default ${r.default})`,
      before: s.before, after: s.after, seeds: s.seeds, summary: s.summary };
  });
  if (has(p, 'json')) { json(rows); return 0; }
  process.stdout.write(`${listText(rows)}\n`);
  process.stdout.write(`\nand ${SELFTEST_SCENARIOS.length} cases of the kernel's mm selftests, named as they print:\n` +
    '  foliorace selftests --all lists them (docs/selftests.md)\n');
  return 0;
}

function kernels(p: Parsed): number {
  allowOnly(p, ['json', 'debug', 'wide']);
  atMostPositional(p, 0, 'foliorace kernels [--wide] [--json]');
  if (has(p, 'json')) { json({ format: KERNELS_FORMAT, profiles: PROFILES, patches: PATCHES, notModelled: NOT_MODELLED }); return 0; }
  process.stdout.write(`${kernelsText(has(p, 'wide'))}\n`);
  return 0;
}

async function run(p: Parsed): Promise<number> {
  allowOnly(p, RUN_FLAGS);
  const scenario = p.positional[0];
  if (!scenario) throw new UsageError('run needs a scenario: foliorace run <scenario|file.js|file.ts> (see foliorace list)');
  if (p.positional.length > 1) throw new UsageError(`run takes one scenario (got "${p.positional.join(' ')}")`);
  const opts = runOptions(p, scenario);
  checkRunOutputs(opts);
  opts.seed ??= randomSeed(); // chosen here so that the progress line can show it from the start
  const reporter = reporterFlag(p);
  const asJson = reporter !== 'text';
  const bar = progressBar(iterationLimit(opts), opts.durationMs ?? 0, `${scenario} seed ${opts.seed}`, !asJson);
  try {
    const hooks = opts.mode === 'verify' ? { onSearch: (s: SearchStatus) => bar.search(s), signal: stop.signal }
      : { onProgress: (n: number, found: number) => bar.update(n, found), signal: stop.signal };
    const report = await withPartial(runScenario(opts, hooks), asJson, bar);
    bar.done();
    if (reporter === 'tap') process.stdout.write(`${tapReport([report])}\n`);
    else print(report, asJson);
    writeJunit(p, [report]);
    const traced = traceLine(opts.trace, report);
    if (traced) (asJson ? process.stderr : process.stdout).write(`${traced}\n`);
    return exitCodeOf(report);
  } finally {
    bar.done();
  }
}

/** `work`'s report; a ScenarioError's partial report is printed before the error goes on (findings are never lost). */
async function withPartial(work: Promise<RunReport>, asJson: boolean, bar: { done(): void }): Promise<RunReport> {
  try {
    return await work;
  } catch (e) {
    bar.done();
    if (e instanceof ScenarioError && e.report) print(e.report, asJson);
    throw e;
  }
}

async function compare(p: Parsed): Promise<number> {
  allowOnly(p, ['kernels', 'mode', 'memory', 'cpus', 'iterations', 'duration', 'seed', 'out', 'no-out', 'jitter', 'watchdog', 'worker-memory', 'json',
    'debug', 'help', 'no-typecheck', 'reporter', 'junit']);
  const scenario = p.positional[0];
  if (!scenario || p.positional.length > 1) throw new UsageError('compare needs one scenario: foliorace compare <scenario> [--kernels A,B]');
  const opts = runOptions(p, scenario);
  checkRunOutputs(opts);
  opts.seed ??= randomSeed();
  const reporter = reporterFlag(p);
  const asJson = reporter !== 'text';
  const { reports, claims, error } = await compareScenario(opts, kernelsFlag(p), (kernel) => {
    const bar = progressBar(iterationLimit(opts), opts.durationMs ?? 0, `${scenario} ${kernel}`, !asJson);
    return { onProgress: (n: number, found: number) => bar.update(n, found), signal: stop.signal };
  }, stop.signal);
  process.stderr.write(asJson || !process.stderr.isTTY ? '' : '\n');
  const rows = compareRows(reports, claims);
  if (reporter === 'tap') process.stdout.write(`${tapReport(reports)}\n`);
  else if (asJson) json(compareJson(scenario, reports, rows));
  else if (reports.length > 0) process.stdout.write(`${compareTable(reports, rows)}\n`);
  writeJunit(p, reports);
  if (error) throw error;
  return Math.max(0, ...reports.map(exitCodeOf));
}

async function replay(p: Parsed): Promise<number> {
  allowOnly(p, ['trace', 'json', 'debug', 'original', 'watchdog', 'worker-memory']);
  const file = p.positional[0];
  if (!file || p.positional.length > 1) throw new UsageError("replay needs one failure file or replay string: foliorace replay <failure.json|'STRING'>");
  const trace = traceFlag(p);
  if (trace !== undefined) checkOutputFile(trace, '--trace');
  const asJson = has(p, 'json');
  const opts = { ...(trace === undefined ? {} : { trace }), ...limitFlags(p), signal: stop.signal };
  const report = await withPartial(isReplayString(file) ? replayString(file, opts)
    : replayFailure(file, { ...opts, original: has(p, 'original') }), asJson, { done() {} });
  print(report, asJson);
  const traced = traceLine(trace, report);
  if (traced) (asJson ? process.stderr : process.stdout).write(`${traced}\n`);
  return exitCodeOf(report);
}

function print(r: RunReport, asJson: boolean): void {
  if (asJson) { json(r); return; }
  if (r.patchChanged) process.stdout.write(`${patchChangedLine(r)}\n`);
  if (r.modelChanged) process.stdout.write(`${modelChangedLine(r)}\n`);
  process.stdout.write(`${outcomeTable(r)}\n`);
  if (r.firstFailure) process.stdout.write(`\n${failureBlock(r)}\n`);
  else if (r.replay) process.stdout.write(`\n${replayVerdict(r)}\n`);
}

// A reader that goes away (foliorace run ... | head) ends the output, not with a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

const argv = process.argv.slice(2);
main(argv).then((code) => { process.exitCode = stop.exitCode(code); }, (e: unknown) => {
  const debug = argv.includes('--debug');
  if (e instanceof UsageError) {
    process.stderr.write(`foliorace: ${e.message}\n`);
    process.exitCode = 2;
  } else if (e instanceof ScenarioError) {
    process.stderr.write(`foliorace: ${e instanceof PatchError ? 'patch' : 'scenario'} error: ${e.message}\n`);
    process.exitCode = 2;
  } else if (e instanceof StoppedError) {
    process.stderr.write(`foliorace: ${e.message}\n`);
  } else {
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`foliorace: internal error${e instanceof CrashError ? '' : ' (this is a bug in foliorace)'}: ${msg}\n`);
    process.exitCode = 3;
  }
  if (debug && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  process.exitCode = stop.exitCode(Number(process.exitCode ?? 0));
});
