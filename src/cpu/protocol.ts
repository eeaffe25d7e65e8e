// The control plane between the main thread and a CPU worker (comlink). Only start-up and the end
// of a run cross it; every iteration is synchronised through machine words instead.
import type { MachineConfig } from '../shm/layout.js';
import type { Mode } from '../sched/modes.js';
import type { CpuRunResult, IterationPlan } from './iterate.js';

/** Where a scenario comes from: a built-in name, or a module file (absolute path; for a worker, with its bundle). */
export type ScenarioRef = { builtin: string } | { path: string; bundle?: string | undefined };

export interface WorkerInit {
  sab: SharedArrayBuffer;
  config: MachineConfig;
  cpu: number;
  scenario: ScenarioRef;
  profile: string;
  patches: Record<string, boolean>;
  mode: Mode;
  jitter: number;
  plan: IterationPlan;
}

/**
 * What each CPU worker exposes. `init` attaches the machine and loads the scenario (start-up cost,
 * measured apart); `load` only loads it; `run` resolves when the run is over (with the scenario's
 * fault, if its code threw on this CPU), or rejects with the crash.
 */
export interface CpuControl {
  init(init: WorkerInit): Promise<void>;
  /** Only imports the scenario (the main thread's load probe, load-probe.ts). */
  load(scenario: ScenarioRef): Promise<void>;
  run(): Promise<CpuRunResult>;
}
