// Run options in, resolved options out, validated once. Callers never re-validate.
import { randomBytes } from 'node:crypto';
import { MACHINE_DEFAULTS, type MachineConfig } from '../shm/layout.js';
import { kernelSwitches, NEWEST_PROFILE, PATCHES, ProfileError, resolveProfile, type PatchSwitch, type Profile } from '../kernel/profile.js';
import { hashSeed } from '../sched/prng.js';
import { cpuRange, type Scenario } from '../scenario/define.js';
import { UsageError } from '../errors.js';
import { MAX_CONTROLLED_CPUS, type Mode } from '../sched/modes.js';
import type { PatchFile } from '../cpu/protocol.js';
import { STORE_BUFFER_ENTRIES, type MemoryModel } from '../shm/store-buffer.js';

export interface RunOptions {
  /** Built-in scenario name, or a path to a scenario module. */
  scenario: string;
  kernel?: string;
  patches?: Record<string, boolean>;
  /** A patch file (docs/patches.md) applied on top of the profile: its path. */
  patchFile?: string;
  mode?: Mode;
  /** Memory model: sc (default) or tso (shm/store-buffer.ts). */
  memory?: MemoryModel;
  cpus?: number;
  iterations?: number;
  /** Stop starting iterations after this many milliseconds. */
  durationMs?: number;
  seed?: string;
  stopOnFirst?: boolean;
  /** free mode: maximum spin of a seeded delay at preemption points (0 = none). */
  jitter?: number;
  /** Failure files go here; null: write none. */
  out?: string | null;
  /** Chrome trace-event JSON of the first failing iteration. */
  trace?: string;
  /** No completed iteration for this long: abort the iteration and stop (free mode hangs). */
  watchdogMs?: number | undefined;
  /** Type-check a .ts scenario before running it [true]. */
  typecheck?: boolean;
  /** exhaustive mode: the preemption bound K [2]. */
  preemptions?: number;
  /** verify mode: explore only part `index` (1-based) of `count` of each iteration's tree (--part I/N, --part-depth D). */
  part?: { index: number; count: number; depth?: number };
  /** Shrink the first failure's schedule (default true). */
  shrink?: boolean;
  /** Free mode: time to search for an exact schedule of the first failure (default 5 s). */
  convertBudgetMs?: number;
  /** Heap limit of each CPU's worker (MiB). */
  workerMemoryMb?: number | undefined;
}

export const DEFAULT_CONVERT_BUDGET_MS = 5000;

export interface ResolvedRun {
  profile: Profile;
  /** The patch file applied on top of the profile (loaded: load/load.ts loadPatch); null: none. */
  patch: PatchFile | null;
  mode: Mode;
  memory: MemoryModel;
  cpus: number;
  iterations: number;
  /** 0: no time limit. */
  durationMs: number;
  seed: string;
  seedHash: number;
  stopOnFirst: boolean;
  jitter: number;
  config: MachineConfig;
  watchdogMs: number;
  workerMemoryMb: number;
}

export const DEFAULT_ITERATIONS = 100_000;
/** The iteration counter is one 32-bit machine word. */
export const MAX_ITERATIONS = 2 ** 31 - 1;
/** Heap of one CPU worker (MiB) unless --worker-memory says otherwise: a scenario's own objects are small. */
export const DEFAULT_WORKER_MEMORY_MB = 512;
/** No iteration for this long ends the run as hung unless --watchdog says otherwise. */
export const DEFAULT_WATCHDOG_MS = 10_000;



/** A fresh random seed (the run prints it, so it can be given back with --seed). */
export function randomSeed(): string {
  return randomBytes(4).toString('hex');
}

/** `patch`: the loaded `o.patchFile` (loading is asynchronous: the caller's). */
export function resolveRunOptions(o: RunOptions, scenario: Scenario, patch: PatchFile | null = null): ResolvedRun {
  let profile: Profile;
  try {
    profile = resolveProfile(o.kernel ?? NEWEST_PROFILE, o.patches ?? {});
  } catch (e) {
    if (e instanceof ProfileError) throw new UsageError(e.message);
    throw e;
  }
  const mode = o.mode ?? 'free';
  const range = cpuRange(scenario);
  const cpus = o.cpus ?? range.default;
  if (cpus < range.min || cpus > range.max) {
    throw new UsageError(range.min === range.max
      ? `--cpus: scenario ${scenario.name} runs on exactly ${range.min} CPUs (got ${cpus})`
      : `--cpus: scenario ${scenario.name} runs on ${range.min} to ${range.max} CPUs (got ${cpus})`);
  }
  const memory = o.memory ?? 'sc';
  // under tso each CPU's store buffer is scheduled too (pseudo-CPU cpus + c): twice the mask bits
  const maxCpus = memory === 'tso' ? Math.floor(MAX_CONTROLLED_CPUS / 2) : MAX_CONTROLLED_CPUS;
  if (mode !== 'free' && cpus > maxCpus) {
    throw new UsageError(`--cpus: controlled modes run at most ${maxCpus} CPUs${memory === 'tso' ? ' under --memory tso' : ''} (got ${cpus}); use --mode free`);
  }
  const seed = o.seed ?? randomSeed();
  const outcomes = Object.keys(scenario.outcomes).length;
  const config: MachineConfig = {
    ...MACHINE_DEFAULTS, ...scenario.machine, cpus, outcomes, batchSize: kernelSwitches(profile).batchSize,
    ...(memory === 'tso' ? { storeBuffer: STORE_BUFFER_ENTRIES } : {}),
  };
  return {
    profile, patch, mode, memory, cpus,
    // a duration alone runs for the whole duration
    iterations: o.iterations ?? (o.durationMs ? MAX_ITERATIONS : DEFAULT_ITERATIONS),
    durationMs: o.durationMs ?? 0,
    seed, seedHash: hashSeed(seed),
    stopOnFirst: o.stopOnFirst ?? false,
    jitter: mode === 'free' ? o.jitter ?? 0 : 0,
    config,
    watchdogMs: o.watchdogMs ?? DEFAULT_WATCHDOG_MS,
    workerMemoryMb: o.workerMemoryMb ?? DEFAULT_WORKER_MEMORY_MB,
  };
}

/** A module path: what a patch file (and a scenario file) is named by. */
export const MODULE_PATH = /\.(m?js|ts)$/;

/**
 * A profile as `compare --kernels` and expectScenario() name one: "6.17", or "6.17+./fix.ts" with
 * a patch file on top (the path as given, relative to the working directory).
 */
export function kernelWithPatch(label: string): Pick<RunOptions, 'kernel' | 'patchFile'> {
  const plus = label.indexOf('+');
  if (plus < 0) return { kernel: label };
  const patchFile = label.slice(plus + 1);
  if (!MODULE_PATH.test(patchFile)) throw new UsageError(`"${label}": after "+" comes a patch file (.ts, .js or .mjs), as in 6.17+./fix.ts`);
  return { kernel: label.slice(0, plus), patchFile };
}

/**
 * The switches a run's reports and failure files record: all of them, but a weak-memory switch
 * (PatchSwitch.weakMemory) under sc only when it is on, so that sc runs write what they wrote
 * before such switches existed.
 */
export function recordedPatches(r: ResolvedRun): Record<string, boolean> {
  const out: Record<string, boolean> = { ...r.profile.patches };
  if (r.memory === 'sc') for (const p of PATCHES as readonly PatchSwitch[]) if (p.weakMemory && !out[p.name]) delete out[p.name];
  return out;
}

/** The same run under the replay strategy, `iterations` of it (a replay: one; a fed run: as many as it is given). */
export function replayRun(r: ResolvedRun, iterations = 1): ResolvedRun {
  return { ...r, mode: 'replay', iterations, durationMs: 0, stopOnFirst: false, jitter: 0 };
}

/** "10s", "500ms", "2m", or plain seconds. */
export function parseDuration(v: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(v);
  const n = m ? Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 'm' ? 60_000 : 1000) : NaN;
  if (!m || !(n > 0)) throw new UsageError(`--${flag} must be a duration like 10s, 500ms or 2m (got "${v}")`);
  return n;
}

/** A limit given as a duration, as messages that name it print it: "10 s", "500 ms". */
export function durationText(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
