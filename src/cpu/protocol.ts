// The control plane between the main thread and a CPU worker (comlink). Only start-up and the end
// of a run cross it; every iteration is synchronised through machine words instead.
import type { MachineConfig } from '../shm/layout.js';
import type { Mode } from '../sched/modes.js';
import type { CpuRunResult, IterationPlan } from './iterate.js';

/** A module file the user gave (absolute path; for a worker, with its bundle). */
export interface FileRef { path: string; bundle?: string | undefined }

/** Where a scenario comes from: a built-in name, or a module file. */
export type ScenarioRef = { builtin: string } | FileRef;

/**
 * A patch file a run applies (load/load.ts loadPatch): what it says it is, and where it is, with
 * the content hash that failure files and replay strings record (sha256 of its text, 12 hex digits).
 */
export interface PatchFile {
  name: string;
  title: string;
  source: string | null;
  path: string;
  hash: string;
  bundle: string;
}

export interface WorkerInit {
  sab: SharedArrayBuffer;
  config: MachineConfig;
  cpu: number;
  scenario: ScenarioRef;
  profile: string;
  patches: Record<string, boolean>;
  /** The run's patch file; null: the model as it is. */
  patch: PatchFile | null;
  mode: Mode;
  jitter: number;
  plan: IterationPlan;
}

/** What a user's module file declares. */
export type FileKind = 'scenario' | 'patch';

/**
 * What each CPU worker exposes. `init` attaches the machine and loads the scenario (start-up cost,
 * measured apart); `load` only loads it; `run` resolves when the run is over (with the scenario's
 * fault, if its code threw on this CPU), or rejects with the crash.
 */
export interface CpuControl {
  /** Answers once the worker listens: its start-up (Node's, the worker bundle's) is over. */
  started(): Promise<void>;
  init(init: WorkerInit): Promise<void>;
  /** Only imports a scenario file, or a patch file and builds its table (the main thread's load probe, load/probe.ts). */
  load(file: FileRef, kind: FileKind): Promise<void>;
  run(): Promise<CpuRunResult>;
}
