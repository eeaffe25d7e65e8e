#!/usr/bin/env node
// The foliorace command: argv → resolved options → runner → report → exit code.
import { PATCHES, PROFILES } from '../kernel/profile.js';
import { NOT_MODELLED } from '../kernel/stubs.js';
import { cpuRange } from '../scenarios/define.js';
import { BUILTIN_SCENARIOS } from '../scenarios/index.js';
import { compareScenario, replayFailure, runScenario } from '../runner/api.js';
import { CrashError, ScenarioError, UsageError } from '../runner/errors.js';
import { DEFAULT_ITERATIONS, randomSeed } from '../runner/options.js';
import { exitCodeOf, type RunReport } from '../report/report.js';
import { failureBlock, formatTable, outcomeTable, replayVerdict } from '../report/table.js';
import { compareRows, compareTable } from '../report/compare.js';
import { allowOnly, has, kernelsFlag, parseArgs, runOptions, traceFlag, type Parsed } from './args.js';
import { bench } from './bench.js';
import { runDemo } from './demo.js';
import { HELP } from './help.js';
import { checkOutputFile, checkRunOutputs } from './out-paths.js';
import { progressBar } from './progress.js';
import { trapStopSignals } from './signals.js';

const RUN_FLAGS = ['kernel', 'patch', 'mode', 'cpus', 'iterations', 'duration', 'seed', 'out', 'no-out', 'trace', 'jitter',
  'watchdog', 'worker-memory', 'json', 'stop-on-first', 'debug', 'help'];

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
  switch (p.command) {
    case 'list': return list(p);
    case 'kernels': return kernels(p);
    case 'run': return run(p);
    case 'replay': return replay(p);
    case 'compare': return compare(p);
    case 'demo': allowOnly(p, ['json', 'debug']); return runDemo(has(p, 'json'), stop.signal);
    case 'bench': return bench(p, stop.signal);
    case '': process.stderr.write(`${HELP['']}\n`); return 2;
    default: throw new UsageError(`unknown command "${p.command}"; commands: list, kernels, run, compare, replay, demo, bench (see foliorace --help)`);
  }
}

function json(x: unknown): void {
  process.stdout.write(`${JSON.stringify(x, null, 2)}\n`);
}

function list(p: Parsed): number {
  allowOnly(p, ['json', 'debug']);
  const rows = BUILTIN_SCENARIOS.map((s) => {
    const r = cpuRange(s);
    return { name: s.name, cpus: r.min === r.max ? String(r.min) : `${r.min}-${r.max} (default ${r.default})`,
      before: s.before, after: s.after, seeds: s.seeds, summary: s.summary };
  });
  if (has(p, 'json')) { json(rows); return 0; }
  process.stdout.write(`${formatTable([['scenario', 'cpus', 'before', 'after', 'summary'],
    ...rows.map((r) => [r.name, r.cpus, r.before, r.after, r.summary])])}\n`);
  for (const r of rows) process.stdout.write(`\n${r.name} models:\n${r.seeds.map((s) => `  - ${s}`).join('\n')}\n`);
  return 0;
}

function kernels(p: Parsed): number {
  allowOnly(p, ['json', 'debug']);
  if (has(p, 'json')) { json({ profiles: PROFILES, patches: PATCHES, notModelled: NOT_MODELLED }); return 0; }
  const names = PATCHES.map((x) => x.name);
  process.stdout.write(`${formatTable([['profile', ...names.map((_, i) => `#${i + 1}`), 'summary'],
    ...PROFILES.map((pr) => [pr.name, ...names.map((n) => (pr.patches[n] ? 'on' : '-')), pr.summary])])}\n\npatch switches:\n`);
  PATCHES.forEach((x, i) => process.stdout.write(`  #${i + 1} ${x.name}\n      ${x.source}: "${x.title}"\n      ${x.effect}\n`));
  process.stdout.write('\nnot modelled:\n');
  for (const [what, why] of Object.entries(NOT_MODELLED)) process.stdout.write(`  ${what}: ${why}\n`);
  process.stdout.write('\ncompose with: foliorace run SCENARIO --kernel 6.10 --patch lru-clear-at-enqueue=on\n');
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
  const asJson = has(p, 'json');
  const bar = progressBar(opts.iterations ?? DEFAULT_ITERATIONS, opts.durationMs ?? 0, `${scenario} seed ${opts.seed}`, !asJson);
  try {
    const report = await withPartial(runScenario(opts, { onProgress: (n) => bar.update(n), signal: stop.signal }), asJson, bar);
    bar.done();
    print(report, asJson);
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
  allowOnly(p, ['kernels', 'mode', 'cpus', 'iterations', 'duration', 'seed', 'out', 'no-out', 'jitter', 'watchdog', 'worker-memory',
    'json', 'debug', 'help']);
  const scenario = p.positional[0];
  if (!scenario || p.positional.length > 1) throw new UsageError('compare needs one scenario: foliorace compare <scenario> [--kernels A,B]');
  const opts = runOptions(p, scenario);
  checkRunOutputs(opts);
  opts.seed ??= randomSeed();
  const asJson = has(p, 'json');
  const { reports, claims, error } = await compareScenario(opts, kernelsFlag(p), (kernel) => {
    const bar = progressBar(opts.iterations ?? DEFAULT_ITERATIONS, opts.durationMs ?? 0, `${scenario} ${kernel}`, !asJson);
    return { onProgress: (n: number) => bar.update(n), signal: stop.signal };
  });
  process.stderr.write(asJson || !process.stderr.isTTY ? '' : '\n');
  const rows = compareRows(reports, claims);
  if (asJson) json({ scenario, rows, runs: reports });
  else if (reports.length > 0) process.stdout.write(`${compareTable(reports, rows)}\n`);
  if (error) throw error;
  return Math.max(0, ...reports.map(exitCodeOf));
}

async function replay(p: Parsed): Promise<number> {
  allowOnly(p, ['trace', 'json', 'debug']);
  const file = p.positional[0];
  if (!file || p.positional.length > 1) throw new UsageError('replay needs one failure file: foliorace replay <failure.json>');
  const trace = traceFlag(p);
  if (trace !== undefined) checkOutputFile(trace, '--trace');
  const asJson = has(p, 'json');
  const report = await withPartial(replayFailure(file, { ...(trace === undefined ? {} : { trace }), signal: stop.signal }), asJson, { done() {} });
  print(report, asJson);
  return exitCodeOf(report);
}

function print(r: RunReport, asJson: boolean): void {
  if (asJson) { json(r); return; }
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
    process.stderr.write(`foliorace: scenario error: ${e.message}\n`);
    process.exitCode = 2;
  } else {
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`foliorace: internal error${e instanceof CrashError ? '' : ' (this is a bug in foliorace)'}: ${msg}\n`);
    process.exitCode = 3;
  }
  if (debug && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  process.exitCode = stop.exitCode(Number(process.exitCode ?? 0));
});
