// The control plane between the bench's main thread and its CPU workers (comlink): one call per
// measurement, never per rep. Reps synchronise through machine words (rep.ts).
import type { MachineConfig } from '../shm/layout.js';
import type { PatchFile } from '../cpu/protocol.js';

/** What a measurement times on its caller(s). */
export const OPS = ['drain', 'drain-all', 'copy', 'drain-all-storm', 'gup-pin'] as const;
export type Op = (typeof OPS)[number];

export interface BenchInit {
  sab: SharedArrayBuffer;
  config: MachineConfig;
  cpu: number;
}

export interface MeasureSpec {
  op: Op;
  kernel: string;
  patches: Record<string, boolean>;
  /** A patch file on top of the profile (docs/patches.md); null: none. */
  patch: PatchFile | null;
  /** Capacity of every per-CPU batch in this measurement (at most the machine's batchSize). */
  batchSize: number;
  /** CPUs with pending folios when the operation starts, counted from the highest CPU down. */
  pendingCpus: number;
  /** Folios pending in each of those CPUs' lru_add batch. */
  perCpu: number;
  /** Those CPUs (other than a caller) run folio_activate/folio_deactivate traffic during the call. */
  busy: boolean;
  reps: number;
  /** Ctrl.GEN when the measurement starts (the main thread reads it; every CPU waits for a change). */
  startGen: number;
}

/** One rep as CPU0 saw it: the operation's cost summed over every CPU. */
export interface RepSample {
  /** Wall time of CPU0's call (ns); storm: of CPU0's own call. */
  wallNs: number;
  /** Simulated time of that call (ns, kernel/sim-time.ts): what it would take the modelled machine. */
  simNs: number;
  foliosMoved: number;
  lockAcquisitions: number;
  lockHoldNs: number;
  /** Work items queued to each CPU (WORK_REQ) and run by each (BenchStat.WORK_RUN). */
  workQueued: number[];
  workRun: number[];
  /** Time callers slept in mutex_lock() and flush_work() (ns), summed over callers. */
  waitNs: number;
  /** lru_add_drain_all() drains started (lru_drain_gen moved) and calls that relied on another's. */
  drainsStarted: number;
  drainAllSkipped: number;
  /** gup-pin: pins that succeeded and failed, GUP's drain time (ns) and lru_add_drain_all() calls. */
  pinsOk: number;
  pinsFailed: number;
  gupDrainNs: number;
  gupDrainAllCalls: number;
}

/** What one worker reports for a measurement: CPU0 its rep samples; storm callers their call times. */
export interface MeasureResult {
  reps: RepSample[];
  callNs: number[];
  /** Simulated time of each of those calls (ns). */
  callSimNs: number[];
}

export interface BenchCpuControl {
  init(init: BenchInit): Promise<void>;
  measure(spec: MeasureSpec): Promise<MeasureResult>;
}
