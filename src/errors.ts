// The kinds of failure stay apart: usage/input errors (UsageError, exit 2, one line), errors in the
// user's scenario code (ScenarioError, exit 2, with where it happened), findings (results, never
// exceptions) and harness or model crashes (CrashError, exit 3).
import type { RunReport } from './report/report.js';

/** Bad input from the user: printed as one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A worker threw: a bug in the model, the scenario or foliorace. Exit code 3. */
export class CrashError extends Error {
  override readonly name = 'CrashError';
}

/**
 * The user's scenario code failed (threw, hung, exited, ran out of memory): exit code 2, never a
 * foliorace bug. `report` holds what the run had found before it (findings are never lost).
 */
export class ScenarioError extends Error {
  override readonly name: string = 'ScenarioError';
  constructor(message: string, readonly report: RunReport | null = null) {
    super(message);
  }
}

/** The user's patch file failed (does not load, is not a valid patch, its code threw): as a ScenarioError, exit code 2. */
export class PatchError extends ScenarioError {
  override readonly name = 'PatchError';
}

/** A stop signal arrived before a run began: nothing ran, so there is no report (exit 130 / 143). */
export class StoppedError extends Error {
  override readonly name = 'StoppedError';
}
