// A command run in the test's own process (runCommand, the function main.ts runs), for the tests
// whose claim is what the command prints and the exit code it ends with: no process to start, and
// the CPU workers of one command serve the next (src/host/pool.ts). A claim about the process
// itself (a signal, a hang bounded from outside, the environment it starts with) spawns it (cli.ts).
import { runCommand } from '../../dist/src/cli/command.js';

export interface Printed { code: number; stdout: string; stderr: string }

// A command given a directory runs in it as a process started there would: the test process changes
// its working directory for the call (vitest's machine project runs files in forks, one process per
// file at a time: vitest.config.ts) and changes it back. CPU workers read the same directory (Node
// carries a chdir to worker threads). Such calls run one at a time, after the calls without a
// directory that had started, and calls begun meanwhile wait for them.
let inDirectories: Promise<unknown> = Promise.resolve();
const elsewhere = new Set<Promise<Printed>>();

/** Runs `foliorace ...args` to its end (in `o.cwd` if given); what it printed, and its exit code. */
export async function command(args: readonly string[], o: { cwd?: string } = {}): Promise<Printed> {
  const cwd = o.cwd;
  if (cwd === undefined) {
    await inDirectories;
    const p = printed(args);
    elsewhere.add(p);
    return p.finally(() => elsewhere.delete(p));
  }
  const turn = inDirectories.then(() => Promise.allSettled([...elsewhere])).then(async () => {
    const home = process.cwd();
    process.chdir(cwd);
    try { return await printed(args); } finally { process.chdir(home); }
  });
  inDirectories = turn.catch(() => undefined);
  return turn;
}

async function printed(args: readonly string[]): Promise<Printed> {
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
