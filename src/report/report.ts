// The report of a run or a replay: what `--json` prints (fields may be added, never renamed;
// docs/cli.md), built from what the machine recorded.
import type { ReportedFindingKind } from '../cpu/finding-kind.js';
import type { ShrinkSize } from '../sched/shrink.js';
import type { VerifyFacts } from '../host/verify-run.js';
import type { Mode } from '../sched/modes.js';
import type { SearchStop } from '../sched/exhaustive.js';

/** `unknown`: an outcome check() returned that the scenario does not declare (jcstress's UNKNOWN). */
export interface OutcomeRow { name: string; kind: 'acceptable' | 'forbidden' | 'interesting' | 'unknown'; count: number }

export interface FailureReport {
  iteration: number;
  kind: ReportedFindingKind;
  /** The forbidden or unknown outcome, the violated invariant, or the CPUs' waits. */
  outcome: string;
  /** Failure file path (null: --out not writable; the file's JSON went to stderr). */
  file: string | null;
  schedule: string;
  /** Replaying the schedule gave the same finding. */
  replayVerified: boolean;
  /** Why it was not verified (null when it was, or when this is a replay). */
  replayNote: string | null;
  diagram: string;
  truncated: boolean;
  /** Preemptions of `schedule` (null: not an exact schedule, a free-mode order not converted). */
  preemptions?: number | null;
  /** The schedule shown was shrunk from the exact one (null: not shrunk). */
  shrunk?: ShrinkReport | null;
  /** Free mode: the search for an exact schedule (null in controlled modes). */
  conversion?: ConversionReport | null;
  /** The failure in one pasteable token: foliorace replay 'STRING' (repro/replay-string.ts). */
  replayString?: string;
}

export interface ExhaustiveReport {
  preemptions: number;
  schedules: number;
  iterationsComplete: number;
  complete: boolean;
  stoppedBy: SearchStop | null;
}

/** A shrink as a report shows it: its sizes, and what it took. */
export interface ShrinkReport extends ShrinkSize {
  /** Time shrinking took and schedules it ran. */
  ms: number;
  runs: number;
  /** A stop signal ended it early: the schedule is as short as it got by then. */
  stopped?: boolean;
}

export interface ConversionReport {
  /** An exact schedule with the same finding was found (false: seen, not reproduced). */
  converted: boolean;
  /** Which search phase found it: the recorded order itself, a move near its divergence, or PCT. */
  phase: 'recorded' | 'near-divergence' | 'pct' | null;
  ms: number;
  /** Schedules run in each phase. */
  tried: { recorded: number; nearDivergence: number; pct: number };
  /** The step (1-based) of the recorded order the replay could not follow; 0 if it could. */
  divergedAtStep: number;
}

export interface WorkerFaultReport {
  cpus: number[];
  phase: 'load' | 'setup' | 'actor' | 'check' | 'idle' | 'done';
  /** -1: before the first iteration. */
  iteration: number;
  site: string;
  what: string;
  /** All of it in one line. */
  message: string;
}

/** A patch file as reports and failure files record it: its name, its absolute path, its content hash. */
export interface PatchIdentity { name: string; path: string; hash: string }

/** What ran: shared by reports and failure files. */
export interface RunIdentity {
  scenario: string;
  kernel: string;
  /** Every patch switch of the profile, resolved. */
  patches: Record<string, boolean>;
  /** The patch file applied on top of the profile (absent: none). */
  patchFile?: PatchIdentity;
  mode: Mode;
  /** The memory model when it is not the default sc (absent: sc, as in every file before it). */
  memory?: 'tso';
  seed: string;
  cpus: number;
}

/** The `format` of `run --json` (docs/schemas/run.schema.json); a change of a field's meaning bumps its number. */
export const RUN_FORMAT = 'foliorace-run/1';
/** The `format` of `replay --json` (docs/schemas/replay.schema.json): a run report with `replay` filled in. */
export const REPLAY_FORMAT = 'foliorace-replay/1';

/** The profile as reports name it: "6.17", or "6.17+NAME" with patch file NAME on top. */
export function kernelLabel(r: Pick<RunIdentity, 'kernel' | 'patchFile'>): string {
  return r.patchFile ? `${r.kernel}+${r.patchFile.name}` : r.kernel;
}

/** The identity's memory field of a run under `memory`: sc, the default, is not written (files stay as before). */
export function memoryField(memory: 'sc' | 'tso'): Pick<RunIdentity, 'memory'> {
  return memory === 'tso' ? { memory } : {};
}

export interface RunReport extends RunIdentity {
  format: typeof RUN_FORMAT | typeof REPLAY_FORMAT;
  /** The foliorace version and the model fingerprint under this profile (version.ts). */
  version?: string;
  fingerprint?: string;
  iterations: number;
  elapsedMs: number;
  iterationsPerSecond: number;
  /** Worker start-up (module load, machine attach), not part of elapsedMs. */
  startupMs: number;
  /**
   * Mean simulated time of an iteration (µs): its slowest CPU's clock under the cost model of
   * docs/bench.md. The same in every controlled run of a seed; in free mode it follows the order in
   * which the host let the CPUs take contended locks.
   */
  simulatedUsPerIteration: number;
  outcomes: OutcomeRow[];
  /** Iterations with a forbidden outcome. */
  forbidden: number;
  violations: number;
  deadlocks: number;
  /** Iterations in which a CPU looped without progress (a controlled run's livelock, cpu/finding-kind.ts). */
  livelocks: number;
  /** Iterations whose check() returned an undeclared outcome (rows of kind `unknown`). */
  unknown: number;
  /** The hang watchdog fired: where each CPU was. */
  watchdog: string[] | null;
  firstFailure: FailureReport | null;
  /** A stop request (SIGINT, SIGTERM) ended the run before its planned end: the counts are partial. */
  interrupted: boolean;
  /** The scenario's code made a worker end (hang, exit, out of memory): which CPUs, where, what. */
  scenarioError: WorkerFaultReport | null;
  /** replay only: what was replayed and whether it reproduced. */
  replay?: ReplayResult;
  /** exhaustive mode only: the bound, the schedules run, whether the search was complete. */
  exhaustive?: ExhaustiveReport;
  /** verify mode only: classes and runs explored, the bound if any, whether every class was explored. */
  verify?: VerifyFacts;
  /** replay only: the file was recorded under another model fingerprint (or before fingerprints). */
  modelChanged?: { recorded: string | null; now: string };
  /** replay only: the patch file's content hash is not the one recorded (it was edited since). */
  patchChanged?: { path: string; recorded: string; now: string };
}

/**
 * What a replay found. `verdict`: 'reproduced' (the recorded finding; exit 1), 'different' (another
 * finding came back, named in `got`; exit 1), 'not-reproduced' (nothing forbidden; exit 0, `why`).
 */
export interface ReplayResult {
  /** The mode the file was recorded in. */
  of: Mode;
  iteration: number;
  expected: string;
  reproduced: boolean;
  verdict: 'reproduced' | 'different' | 'not-reproduced';
  got: string | null;
  why: string | null;
  divergedAtStep: number;
}

/** The timing fields, which differ between otherwise identical runs. */
export const TIMING_FIELDS = ['elapsedMs', 'iterationsPerSecond', 'startupMs'] as const;

/** Exit status: 1 when anything forbidden (or unknown) happened. */
export function exitCodeOf(r: RunReport): 0 | 1 {
  return findings(r) > 0 ? 1 : 0;
}

/** Iterations with any finding: forbidden or undeclared outcome, invariant violation, deadlock, livelock. */
export function findings(r: Pick<RunReport, 'forbidden' | 'violations' | 'deadlocks' | 'livelocks' | 'unknown'>): number {
  return r.forbidden + r.violations + r.deadlocks + r.livelocks + r.unknown;
}
