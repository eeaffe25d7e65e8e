// The report of a run or a replay: what `--json` prints (fields may be added, never renamed;
// docs/cli.md), built from what the machine recorded.
import type { Mode } from '../runner/modes.js';

export interface OutcomeRow { name: string; kind: 'acceptable' | 'forbidden' | 'interesting'; count: number }

export interface FailureReport {
  iteration: number;
  kind: 'forbidden' | 'violation' | 'deadlock';
  /** The forbidden outcome, the violated invariant, or the CPUs' waits. */
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
}

export interface ScenarioFault {
  cpus: number[];
  phase: 'load' | 'setup' | 'actor' | 'check' | 'idle' | 'done';
  /** -1: before the first iteration. */
  iteration: number;
  site: string;
  what: string;
  /** All of it in one line. */
  message: string;
}

/** What ran: shared by reports and failure files. */
export interface RunIdentity {
  scenario: string;
  kernel: string;
  /** Every patch switch of the profile, resolved. */
  patches: Record<string, boolean>;
  mode: Mode;
  seed: string;
  cpus: number;
}

export interface RunReport extends RunIdentity {
  iterations: number;
  elapsedMs: number;
  iterationsPerSecond: number;
  /** Worker start-up (module load, machine attach), not part of elapsedMs. */
  startupMs: number;
  outcomes: OutcomeRow[];
  /** Iterations with a forbidden outcome. */
  forbidden: number;
  violations: number;
  deadlocks: number;
  /** The hang watchdog fired: where each CPU was. */
  watchdog: string[] | null;
  firstFailure: FailureReport | null;
  /** A stop request (SIGINT, SIGTERM) ended the run before its planned end: the counts are partial. */
  interrupted: boolean;
  /** The scenario's code made a worker end (hang, exit, out of memory): which CPUs, where, what. */
  scenarioError: ScenarioFault | null;
  /** replay only: what was replayed and whether it reproduced. */
  replay?: ReplayResult;
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

/** Exit status: 1 when anything forbidden happened. */
export function exitCodeOf(r: RunReport): 0 | 1 {
  return r.forbidden + r.violations + r.deadlocks > 0 ? 1 : 0;
}
