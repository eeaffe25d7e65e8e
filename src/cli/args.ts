// Command-line parsing: argv → a command and validated options. Every message names the flag,
// echoes the value and says what would be right.
import { UsageError } from '../errors.js';
import { MODES, type Mode } from '../sched/modes.js';
import { MEMORY_MODELS, type MemoryModel } from '../shm/store-buffer.js';
import { MODULE_PATH, parseDuration, type RunOptions } from '../host/options.js';
import { num } from '../report/num.js';
import { indexOfCount } from '../campaign/shard.js';

export interface Parsed {
  command: string;
  positional: string[];
  flags: Map<string, string[]>;
}

/** Flags that take a value; everything else is a switch. */
const VALUED = new Set(['kernel', 'kernels', 'patch', 'mode', 'memory', 'cpus', 'iterations', 'duration', 'seed', 'out', 'trace',
  'jitter', 'watchdog', 'worker-memory', 'reporter', 'junit', 'from', 'batch', 'fill', 'load', 'per-cpu', 'reps', 'plot', 'experiment', 'gup-cpus',
  'shard', 'shard-count', 'html', 'bench', 'cases', 'convert-budget', 'preemptions', 'part', 'part-depth']);
const SWITCHES = new Set(['json', 'stop-on-first', 'debug', 'help', 'no-out', 'quick', 'no-typecheck', 'wide', 'partial', 'all', 'markdown',
  'version', 'no-shrink', 'original']);

export function parseArgs(argv: readonly string[]): Parsed {
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h') { flags.set('help', ['']); continue; }
    if (!a.startsWith('--')) { positional.push(a); continue; }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (SWITCHES.has(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value (got "${a}")`);
      flags.set(name, ['']);
      continue;
    }
    if (!VALUED.has(name)) throw new UsageError(`unknown option --${name} (see foliorace --help)`);
    const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    flags.set(name, [...(flags.get(name) ?? []), value]);
  }
  return { command: positional.shift() ?? '', positional, flags };
}

export function has(p: Parsed, flag: string): boolean {
  return p.flags.has(flag);
}

export function one(p: Parsed, flag: string): string | undefined {
  const v = p.flags.get(flag);
  if (v && v.length > 1) throw new UsageError(`--${flag} given ${v.length} times`);
  return v?.[0];
}

export function int(p: Parsed, flag: string, min: number, max: number): number | undefined {
  const v = one(p, flag);
  return v === undefined ? undefined : intValue(v, flag, min, max);
}

function intValue(v: string, flag: string, min: number, max: number): number {
  const n = /^\d+$/.test(v.replace(/_/g, '')) ? Number(v.replace(/_/g, '')) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${flag} must be an integer from ${min} to ${num(max)} (got "${v}")`);
  }
  return n;
}

/** A comma-separated list flag ("1,2,4"), each item checked by `item`. */
export function listFlag<T>(p: Parsed, flag: string, item: (v: string) => T): T[] | undefined {
  const v = one(p, flag);
  if (v === undefined) return undefined;
  if (!/^[^,]+(,[^,]+)*$/.test(v)) throw new UsageError(`--${flag} needs a comma-separated list (got "${v}")`);
  return v.split(',').map(item);
}

/** A comma-separated list of integers from `min` to `max`. */
export function intList(p: Parsed, flag: string, min: number, max: number): number[] | undefined {
  return listFlag(p, flag, (v) => intValue(v, flag, min, max));
}

/** The --patch NAME=on|off flags (repeatable); a --patch FILE (patchFileFlag) is not one of them. */
export function patchFlags(p: Parsed): Record<string, boolean> {
  const patches: Record<string, boolean> = {};
  for (const v of (p.flags.get('patch') ?? []).filter((x) => !MODULE_PATH.test(x))) {
    const m = /^([a-z0-9-]+)=(on|off)$/.exec(v);
    if (!m) throw new UsageError(`--patch needs NAME=on|off, or a patch file (.ts, .js, .mjs) (got "${v}")`);
    if (Object.hasOwn(patches, m[1]!) && patches[m[1]!] !== (m[2] === 'on')) {
      throw new UsageError(`--patch ${m[1]} is given both on and off; give it once`);
    }
    patches[m[1]!] = m[2] === 'on';
  }
  return patches;
}


/** The --patch FILE flag: a patch file (docs/patches.md) beside the switches; at most one. */
export function patchFileFlag(p: Parsed): string | undefined {
  const files = (p.flags.get('patch') ?? []).filter((x) => MODULE_PATH.test(x));
  if (files.length > 1) throw new UsageError(`--patch takes one patch file per run (got ${files.join(', ')})`);
  return files[0];
}

/** The options of `run` (also used by the demo). */
export function runOptions(p: Parsed, scenario: string): RunOptions {
  const o: RunOptions = { scenario };
  const kernel = one(p, 'kernel');
  if (kernel !== undefined) o.kernel = kernel;
  const patches = patchFlags(p);
  if (Object.keys(patches).length > 0) o.patches = patches;
  const patchFile = patchFileFlag(p);
  if (patchFile !== undefined) o.patchFile = patchFile;
  const mode = one(p, 'mode');
  if (mode !== undefined) {
    if (!MODES.includes(mode as Mode) || mode === 'replay') {
      throw new UsageError(`--mode must be free, pct, random, exhaustive or verify (got "${mode}"); to replay, use foliorace replay FILE`);
    }
    o.mode = mode as Mode;
  }
  const model = one(p, 'memory');
  if (model !== undefined) {
    if (!MEMORY_MODELS.includes(model as MemoryModel)) throw new UsageError(`--memory must be sc or tso (got "${model}")`);
    o.memory = model as MemoryModel;
  }
  const cpus = int(p, 'cpus', 1, 256);
  if (cpus !== undefined) o.cpus = cpus;
  const iterations = int(p, 'iterations', 1, 2 ** 31 - 1); // iteration numbers are 32-bit machine words
  if (iterations !== undefined) o.iterations = iterations;
  const duration = one(p, 'duration');
  if (duration !== undefined) o.durationMs = parseDuration(duration, 'duration');
  Object.assign(o, limitFlags(p));
  const seed = one(p, 'seed');
  if (seed !== undefined) {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(seed)) throw new UsageError(`--seed must be 1 to 64 letters, digits, _ or - (got "${seed}")`);
    o.seed = seed;
  }
  const jitter = int(p, 'jitter', 0, 100_000);
  if (jitter !== undefined) {
    if (o.mode !== undefined && o.mode !== 'free') {
      throw new UsageError(`--jitter applies to --mode free only (got --mode ${o.mode}, which schedules deterministically from --seed)`);
    }
    o.jitter = jitter;
  }
  if (has(p, 'stop-on-first')) o.stopOnFirst = true;
  const out = one(p, 'out');
  if (out !== undefined && has(p, 'no-out')) throw new UsageError('--out and --no-out contradict each other; give one');
  if (out !== undefined) o.out = out;
  if (has(p, 'no-out')) o.out = null;
  if (has(p, 'no-typecheck')) o.typecheck = false;
  const trace = one(p, 'trace');
  if (trace !== undefined) o.trace = trace;
  reproduceFlags(p, o);
  return o;
}

/** Rejects positional arguments beyond the `max` a command takes. */
export function atMostPositional(p: Parsed, max: number, usage: string): void {
  if (p.positional.length > max) {
    throw new UsageError(`unexpected argument${p.positional.length - max > 1 ? 's' : ''} "${p.positional.slice(max).join(' ')}": ${usage}`);
  }
}

/** Rejects flags a command does not take. */
export function allowOnly(p: Parsed, allowed: readonly string[]): void {
  for (const f of p.flags.keys()) {
    if (!allowed.includes(f)) throw new UsageError(`foliorace ${p.command} does not take --${f} (see foliorace ${p.command} --help)`);
  }
}

/** --kernels A,B,...: profile names, at least two. */
export function kernelsFlag(p: Parsed): string[] | undefined {
  const v = one(p, 'kernels');
  if (v === undefined) return undefined;
  const list = v.split(',').map((k) => k.trim()).filter((k) => k !== '');
  if (list.length < 2) throw new UsageError(`--kernels needs two or more profiles separated by commas (got "${v}")`);
  return list;
}

/** --watchdog 10s and --worker-memory MIB: how long an iteration may make no progress, and each CPU's heap (run, compare, replay, shrink). */
export function limitFlags(p: Parsed): Pick<RunOptions, 'watchdogMs' | 'workerMemoryMb'> {
  const o: Pick<RunOptions, 'watchdogMs' | 'workerMemoryMb'> = {};
  const watchdog = one(p, 'watchdog');
  if (watchdog !== undefined) o.watchdogMs = parseDuration(watchdog, 'watchdog');
  const memory = int(p, 'worker-memory', 32, 65_536);
  if (memory !== undefined) o.workerMemoryMb = memory;
  return o;
}

export function traceFlag(p: Parsed): string | undefined {
  return one(p, 'trace');
}

/** --no-shrink, --convert-budget 5s, --preemptions K, --part I/N: how a run searches and what it does with its first failure. */
function reproduceFlags(p: Parsed, o: RunOptions): void {
  const k = int(p, 'preemptions', 0, 20);
  if (k !== undefined) {
    if (o.mode !== 'exhaustive' && o.mode !== 'verify') throw new UsageError('--preemptions bounds --mode exhaustive or verify only');
    o.preemptions = k;
  }
  const part = one(p, 'part');
  if (part !== undefined) {
    if (o.mode !== 'verify') throw new UsageError('--part splits --mode verify only');
    const { index, count } = indexOfCount(part) ?? { index: 0, count: 0 };
    if (count < 2 || count > 10_000 || index < 1 || index > count) {
      throw new UsageError(`--part must be I/N with 2 <= N <= 10000 and 1 <= I <= N (got "${part}")`);
    }
    o.part = { index, count };
    const depth = int(p, 'part-depth', 1, 1000);
    if (depth !== undefined) o.part.depth = depth;
  } else if (has(p, 'part-depth')) {
    throw new UsageError('--part-depth goes with --part I/N');
  }
  if (has(p, 'no-shrink')) o.shrink = false;
  const budget = one(p, 'convert-budget');
  if (budget !== undefined) o.convertBudgetMs = parseDuration(budget, 'convert-budget');
}
