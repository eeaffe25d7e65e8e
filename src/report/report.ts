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
  diagram: string;
  truncated: boolean;
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
  /** The hang watchdog fired: where each CPU was. */
  watchdog: string[] | null;
  firstFailure: FailureReport | null;
  /** replay only: what was replayed and whether it reproduced. */
  replay?: { of: Mode; iteration: number; expected: string; reproduced: boolean; divergedAtStep: number };
}

/** The timing fields, which differ between otherwise identical runs. */
export const TIMING_FIELDS = ['elapsedMs', 'iterationsPerSecond', 'startupMs'] as const;

/** Exit status: 1 when anything forbidden happened. */
export function exitCodeOf(r: RunReport): 0 | 1 {
  return r.forbidden + r.violations + r.deadlocks > 0 ? 1 : 0;
}
