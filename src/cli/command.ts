// The foliorace command: argv → resolved options → runner → report → exit code. main.ts runs it as
// the process; a test may run it in its own (runCommand with an Io: test/helpers/in-process.ts).
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
import { stderr, stdout, withIo, type Io } from './io.js';
import { modelChangedLine, patchChangedLine, versionLine } from './version-lines.js';
import { warnFreeCores } from './free-cores.js';

const RUN_FLAGS = ['kernel', 'patch', 'mode', 'memory', 'cpus', 'iterations', 'duration', 'seed', 'out', 'no-out', 'trace', 'jitter',
  'watchdog', 'worker-memory', 'json', 'stop-on-first', 'debug', 'help', 'no-typecheck', 'reporter', 'junit', 'no-shrink',
  'convert-budget', 'preemptions', 'part', 'part-depth'];

/**
 * Runs the command `argv` to its exit code: what it prints goes to `io` (the process's stdout and
 * stderr if none), an error it ends with is one line on stderr (its stack too with --debug), and
 * `signal` stops it (main.ts: SIGINT, SIGTERM). Exit codes: docs/cli.md, "Exit codes".
 */
export function runCommand(argv: readonly string[], signal: AbortSignal, io?: Io): Promise<number> {
  const go = (): Promise<number> => dispatch(argv, signal).catch((e: unknown) => failed(e, argv.includes('--debug')));
  return io ? withIo(io, go) : go();
}

/** The error a command ended with, on stderr; its exit code. */
function failed(e: unknown, debug: boolean): number {
  let code = 0; // a stop: the signal's code (main.ts)
  if (e instanceof UsageError) {
    stderr().write(`foliorace: ${e.message}\n`);
    code = 2;
  } else if (e instanceof ScenarioError) {
    stderr().write(`foliorace: ${e instanceof PatchError ? 'patch' : 'scenario'} error: ${e.message}\n`);
    code = 2;
  } else if (e instanceof StoppedError) {
    stderr().write(`foliorace: ${e.message}\n`);
  } else {
    const msg = e instanceof Error ? e.message : String(e);
    stderr().write(`foliorace: internal error${e instanceof CrashError ? '' : ' (this is a bug in foliorace)'}: ${msg}\n`);
    code = 3;
  }
  if (debug && e instanceof Error && e.stack) stderr().write(`${e.stack}\n`);
  return code;
}

async function dispatch(argv: readonly string[], signal: AbortSignal): Promise<number> {
  if (argv.length === 0) { stderr().write(`${HELP['']}\n`); return 2; }
  const p = parseArgs(argv);
  if (has(p, 'help') || p.command === 'help') {
    const topic = p.command === 'help' ? p.positional[0] ?? '' : p.command;
    stdout().write(`${HELP[topic] ?? HELP['']}\n`);
    return 0;
  }
  if (has(p, 'version') && p.command === '') { stdout().write(`${versionLine()}\n`); return 0; }
  switch (p.command) {
    case 'list': return list(p);
    case 'kernels': return kernels(p);
    case 'run': return run(p, signal);
    case 'replay': return replay(p, signal);
    case 'compare': return compare(p, signal);
    case 'demo': allowOnly(p, ['json', 'debug']); atMostPositional(p, 0, 'foliorace demo [--json]'); return runDemo(has(p, 'json'), signal);
    case 'bench': return bench(p, signal);
    case 'campaign': return campaign(p, signal);
    case 'merge': return merge(p);
    case 'report': return report(p);
    case 'init': return init(p);
    case 'selftests': return selftests(p, signal);
    case 'shrink': return shrinkCommand(p, signal);
    case '': stderr().write(`${HELP['']}\n`); return 2;
    default: throw new UsageError(`unknown command "${p.command}"; commands: list, kernels, run, compare, replay, shrink, demo, bench, campaign, merge, report, init, selftests (see foliorace --help)`);
  }
}

/** The iteration limit the progress bar counts to (0: only the duration limits the run). */
function iterationLimit(o: RunOptions): number {
  return o.iterations ?? (o.durationMs ? 0 : DEFAULT_ITERATIONS);
}

function json(x: unknown): void {
  stdout().write(`${JSON.stringify(x, null, 2)}\n`);
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
  stdout().write(`${listText(rows)}\n`);
  stdout().write(`\nand ${SELFTEST_SCENARIOS.length} cases of the kernel's mm selftests, named as they print:\n` +
    '  foliorace selftests --all lists them (docs/selftests.md)\n');
  return 0;
}

function kernels(p: Parsed): number {
  allowOnly(p, ['json', 'debug', 'wide']);
  atMostPositional(p, 0, 'foliorace kernels [--wide] [--json]');
  if (has(p, 'json')) { json({ format: KERNELS_FORMAT, profiles: PROFILES, patches: PATCHES, notModelled: NOT_MODELLED }); return 0; }
  stdout().write(`${kernelsText(has(p, 'wide'))}\n`);
  return 0;
}

async function run(p: Parsed, signal: AbortSignal): Promise<number> {
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
    const hooks = opts.mode === 'verify' ? { onSearch: (s: SearchStatus) => bar.search(s), signal }
      : { onProgress: (n: number, found: number) => bar.update(n, found), signal };
    const report = await withPartial(runScenario(opts, hooks), asJson, bar);
    bar.done();
    if (reporter === 'tap') stdout().write(`${tapReport([report])}\n`);
    else print(report, asJson);
    writeJunit(p, [report]);
    const traced = traceLine(opts.trace, report);
    if (traced) (asJson ? stderr() : stdout()).write(`${traced}\n`);
    warnFreeCores([report]);
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

async function compare(p: Parsed, signal: AbortSignal): Promise<number> {
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
    return { onProgress: (n: number, found: number) => bar.update(n, found), signal };
  }, signal);
  stderr().write(asJson || !stderr().isTTY ? '' : '\n');
  const rows = compareRows(reports, claims);
  if (reporter === 'tap') stdout().write(`${tapReport(reports)}\n`);
  else if (asJson) json(compareJson(scenario, reports, rows));
  else if (reports.length > 0) stdout().write(`${compareTable(reports, rows)}\n`);
  writeJunit(p, reports);
  warnFreeCores(reports);
  if (error) throw error;
  return Math.max(0, ...reports.map(exitCodeOf));
}

async function replay(p: Parsed, signal: AbortSignal): Promise<number> {
  allowOnly(p, ['trace', 'json', 'debug', 'original', 'watchdog', 'worker-memory']);
  const file = p.positional[0];
  if (!file || p.positional.length > 1) throw new UsageError("replay needs one failure file or replay string: foliorace replay <failure.json|'STRING'>");
  const trace = traceFlag(p);
  if (trace !== undefined) checkOutputFile(trace, '--trace');
  const asJson = has(p, 'json');
  const opts = { ...(trace === undefined ? {} : { trace }), ...limitFlags(p), signal };
  const report = await withPartial(isReplayString(file) ? replayString(file, opts)
    : replayFailure(file, { ...opts, original: has(p, 'original') }), asJson, { done() {} });
  print(report, asJson);
  const traced = traceLine(trace, report);
  if (traced) (asJson ? stderr() : stdout()).write(`${traced}\n`);
  return exitCodeOf(report);
}

function print(r: RunReport, asJson: boolean): void {
  if (asJson) { json(r); return; }
  if (r.patchChanged) stdout().write(`${patchChangedLine(r)}\n`);
  if (r.modelChanged) stdout().write(`${modelChangedLine(r)}\n`);
  stdout().write(`${outcomeTable(r)}\n`);
  if (r.firstFailure) stdout().write(`\n${failureBlock(r)}\n`);
  else if (r.replay) stdout().write(`\n${replayVerdict(r)}\n`);
}
