// The three kinds of failure stay apart: usage/input errors (UsageError, exit 2, one line),
// findings (results, never exceptions) and harness or model crashes (CrashError, exit 3).

/** Bad input from the user: printed as one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A worker threw: a bug in the model, the scenario or foliorace. Exit code 3. */
export class CrashError extends Error {
  override readonly name = 'CrashError';
}
