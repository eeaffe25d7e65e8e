// The kinds of failure stay apart: usage/input errors (UsageError, exit 2, one line), errors in the
// user's scenario code (ScenarioError, exit 2, with where it happened), findings (results, never
// exceptions) and harness or model crashes (CrashError, exit 3).

/** Bad input from the user: printed as one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A worker threw: a bug in the model, the scenario or foliorace. Exit code 3. */
export class CrashError extends Error {
  override readonly name = 'CrashError';
}

/** The user's scenario code failed (threw, hung, exited, ran out of memory): exit code 2, never a foliorace bug. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}
