// The public shape of a scenario: a small race between a few simulated CPUs, its outcomes, and
// the kernel profiles that show the bug and its absence.
import { load, store } from '../shm/access.js';
import { Ctrl, type MachineConfig } from '../shm/layout.js';
import type { Cpu } from '../kernel/cpu.js';
import { S } from '../kernel/sites.js';
import { nextBelow, seedPrng } from '../sched/prng.js';

export type OutcomeKind = 'acceptable' | 'forbidden' | 'interesting';
/**
 * What a profile is expected to show: the forbidden outcome found, never found, or 'window': a
 * narrower window remains, found at a rate that depends on the mode and timing.
 */
export type Expectation = 'found' | 'never' | 'window';

/**
 * Scratch words a scenario's actors and check share. They boot as zeros before setup(); what
 * setup() stores in them is restored before every iteration, with the rest of the machine's state.
 * Also the iteration's number and a random source that replays with it.
 */
export class ScenarioVars {
  /** This CPU's generator for random(); private to the CPU, so no interleaving changes its values. */
  private readonly prng = new Int32Array(4);
  private seededFor = -1;

  /** `seedHash`: the run's seed (sched/prng.ts hashSeed), which random() mixes with the iteration. */
  constructor(private readonly cpu: Cpu, private readonly seedHash = 0) {}

  /**
   * The number of the iteration being run (0, 1, ...), in actor() and check(); a replay runs the
   * recorded iteration under its own number. setup() runs once, before any iteration.
   */
  get iteration(): number { return load(this.cpu, this.cpu.L.CTRL + Ctrl.CUR_ITER); }

  /**
   * A uniform integer in [0, n), from a generator seeded per (run seed, iteration, CPU): an actor
   * that randomises its actions with it does the same in every run and replay of that iteration,
   * whatever the schedule. Not a preemption point. Call it in actor() or check(), not setup().
   */
  random(n: number): number {
    const iteration = this.iteration;
    if (this.seededFor !== iteration) {
      seedPrng(this.prng, 0, this.seedHash, iteration, this.cpu.id + 1000);
      this.seededFor = iteration;
    }
    return nextBelow(this.prng, 0, n);
  }
  get(i: number): number { return load(this.cpu, this.cpu.L.SCN_VARS + i); }
  set(i: number, v: number): void { store(this.cpu, this.cpu.L.SCN_VARS + i, v); }
  /**
   * Orders two actors: `post(i)` marks step `i` done; `await(i)` sleeps until it is. Use it to
   * stage a race (this must happen before that), never inside a kernel path.
   */
  post(i: number): void {
    const cpu = this.cpu;
    cpu.preempt(S.scenario_post);
    store(cpu, cpu.L.SCN_VARS + i, 1);
    cpu.wake(cpu.L.SCN_VARS + i);
    cpu.trace(S.scenario_post, -1, i);
  }
  await(i: number): void {
    const cpu = this.cpu;
    cpu.preempt(S.scenario_wait);
    cpu.block(cpu.L.SCN_VARS + i, 0, true, S.scenario_wait);
  }
}

export interface Scenario<O extends string = string> {
  /** Unique, kebab-case; what `foliorace run NAME` takes. */
  readonly name: string;
  readonly summary: string;
  /** The kernel discussions (threads, commits) the scenario models. */
  readonly seeds: readonly string[];
  /** CPUs: a fixed count, or a range with a default (`--cpus`). */
  readonly cpus: number | { readonly min: number; readonly max: number; readonly default: number };
  /** Machine sizes beyond the defaults (MACHINE_DEFAULTS, shm/layout.ts). */
  readonly machine?: Partial<Omit<MachineConfig, 'cpus' | 'batchSize' | 'outcomes' | 'storeBuffer'>>;
  readonly outcomes: Readonly<Record<O, OutcomeKind>>;
  /** The profiles `npm start` runs it under: before the fix and after it. */
  readonly before: string;
  readonly after: string;
  /** Per profile, what the forbidden outcome does (read by the scenario tests). */
  readonly expect: Readonly<Record<string, Expectation>>;
  /**
   * What the modelled discussion claims, per case (the part of an outcome name before ": ") or
   * per outcome: printed beside the measured shares by `foliorace compare`.
   */
  readonly claims?: Readonly<Record<string, string>>;
  /** Builds the iteration's initial state on CPU0 (no preemption, other CPUs parked). */
  setup(cpu: Cpu, vars: ScenarioVars): void;
  /** What CPU `cpu.id` does in one iteration. */
  actor(cpu: Cpu, vars: ScenarioVars): void;
  /** After every CPU finished: which outcome this iteration had (CPU0, no preemption). */
  check(cpu: Cpu, vars: ScenarioVars): O;
}

/** Declares a scenario; returns it unchanged, typed (the default export of a scenario file). */
export function defineScenario<O extends string>(s: Scenario<O>): Scenario<O> {
  return s;
}

/** Whether a value looks like a scenario (for files given by path). */
export function isScenario(x: unknown): x is Scenario {
  if (typeof x !== 'object' || x === null) return false;
  const s = x as Record<string, unknown>;
  return typeof s['name'] === 'string' && typeof s['actor'] === 'function' && typeof s['setup'] === 'function' &&
    typeof s['check'] === 'function' && typeof s['outcomes'] === 'object' && s['outcomes'] !== null &&
    (typeof s['cpus'] === 'number' || typeof s['cpus'] === 'object');
}

/** Default, minimum and maximum CPU count of a scenario. */
export function cpuRange(s: Scenario): { min: number; max: number; default: number } {
  return typeof s.cpus === 'number' ? { min: s.cpus, max: s.cpus, default: s.cpus } : s.cpus;
}
