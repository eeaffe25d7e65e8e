// Where a command writes: the process's stdout and stderr, or the streams a caller of runCommand
// gave (a test running the command in its own process). A call's streams follow it through every
// await (AsyncLocalStorage), so commands that run at once in one process never mix their output.
import { AsyncLocalStorage } from 'node:async_hooks';

/** A stream a command writes to; a progress bar draws only where it is a terminal. */
export interface Output {
  write(text: string): unknown;
  readonly isTTY?: boolean | undefined;
  readonly columns?: number | undefined;
}

export interface Io {
  stdout: Output;
  stderr: Output;
}

const current = new AsyncLocalStorage<Io>();

export const stdout = (): Output => current.getStore()?.stdout ?? process.stdout;
export const stderr = (): Output => current.getStore()?.stderr ?? process.stderr;

/** Runs `f` with `io` as its stdout and stderr, and everything `f` awaits. */
export function withIo<T>(io: Io, f: () => Promise<T>): Promise<T> {
  return current.run(io, f);
}
