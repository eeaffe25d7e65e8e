// A command run in the test's own process (runCommand, the function main.ts runs), for the tests
// whose claim is what the command prints and the exit code it ends with: no process to start, and
// the CPU workers of one command serve the next (src/host/pool.ts). A claim about the process
// itself (a signal, a hang bounded from outside, the environment it starts with) spawns it (cli.ts).
import { runCommand } from '../../dist/src/cli/command.js';

export interface Printed { code: number; stdout: string; stderr: string }

/** Runs `foliorace ...args` to its end; what it printed, and its exit code. */
export async function command(args: readonly string[]): Promise<Printed> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (s: string) => { stdout += s; } },
    stderr: { write: (s: string) => { stderr += s; } },
  };
  const code = await runCommand(args, new AbortController().signal, io);
  return { code, stdout, stderr };
}

/** command() with the arguments as a list: run('list', '--json'). */
export const run = (...args: string[]): Promise<Printed> => command(args);
