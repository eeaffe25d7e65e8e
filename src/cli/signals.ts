// SIGINT and SIGTERM for every command, installed once by main.ts: the first signal aborts
// `stopSignals.signal`, which a command passes to whatever it runs (runScenario's hooks, the bench);
// the command stops within a second, prints what it has (partial report, failure files kept) and
// main.ts exits 130 (SIGINT) or 143 (SIGTERM). A second signal quits at once. A command that does
// not stop within HARD_STOP_MS is ended anyway: nothing ever hangs on a signal.
//
// A new command adopts it in one line: pass `stop.signal` to its runner (and check
// `stop.signal.aborted` between steps it runs itself).

/** Longest a command may take to stop after the first signal before foliorace quits without it. */
const HARD_STOP_MS = 5000;

const CODES = { SIGINT: 130, SIGTERM: 143 } as const;
type StopSignal = keyof typeof CODES;

export interface StopSignals {
  /** Aborted at the first SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
  /** The signal received, if any. */
  readonly received: StopSignal | null;
  /** 130 or 143 once a signal was received, else `code`. */
  exitCode(code: number): number;
  /** Removes the handlers (the process then reacts to signals as Node does by default). */
  dispose(): void;
}

/** Installs the handlers; `clearLine` runs before the notice (a progress bar on stderr). */
export function trapStopSignals(clearLine: () => void = () => {}): StopSignals {
  const controller = new AbortController();
  let received: StopSignal | null = null;
  const on = (sig: StopSignal) => (): void => {
    if (received) process.exit(CODES[received]);
    received = sig;
    clearLine();
    process.stderr.write(`\nfoliorace: ${sig}: stopping; what was found so far follows (${sig === 'SIGINT' ? 'Ctrl-C' : sig} again quits at once)\n`);
    controller.abort();
    setTimeout(() => {
      process.stderr.write(`foliorace: did not stop within ${HARD_STOP_MS / 1000} s of ${sig}; quitting\n`);
      process.exit(CODES[sig]);
    }, HARD_STOP_MS).unref();
  };
  const handlers = { SIGINT: on('SIGINT'), SIGTERM: on('SIGTERM') };
  for (const sig of Object.keys(handlers) as StopSignal[]) process.on(sig, handlers[sig]);
  return {
    signal: controller.signal,
    get received() { return received; },
    exitCode: (code) => (received ? CODES[received] : code),
    dispose() {
      for (const sig of Object.keys(handlers) as StopSignal[]) process.off(sig, handlers[sig]);
    },
  };
}
