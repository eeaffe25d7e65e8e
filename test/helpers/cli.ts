// The built CLI as a process, for the tests whose claim is about a process: its exit code and what
// it writes to stdout and stderr.
import { spawn, spawnSync } from 'node:child_process';
import { beforeAll, expect, it } from 'vitest';
import { command } from './in-process.js';

export const CLI = new URL('../../dist/src/cli/main.js', import.meta.url).pathname;

export interface Ran { code: number | null; stdout: string; stderr: string }

/** Runs the CLI to its end. */
export function cli(...args: string[]): Ran {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts the CLI; resolves when it has ended. Several at once overlap their start-up. */
export function cliAsync(args: readonly string[], o: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { cwd: o.cwd, env: o.env ?? process.env });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * A test per case of a table of usage errors `[what, args, message]`: exit 2, one line on stderr
 * that matches `message`, no stack, nothing on stdout. Every case starts before the first test, all
 * at once. They run in this process (helpers/in-process.ts): what a command prints and its exit
 * code are the same, without a process start-up each; given a working directory or an environment,
 * as processes.
 */
export function usageErrorCases(cases: readonly (readonly [string, readonly string[], RegExp])[], o: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): void {
  let ran: Ran[] = [];
  const run = o.cwd === undefined && o.env === undefined ? command : (args: readonly string[]) => cliAsync(args, o);
  beforeAll(async () => { ran = await Promise.all(cases.map(([, args]) => run(args))); }, 120_000);
  cases.forEach(([what, , message], i) => {
    it(what, () => {
      const r = ran[i]!;
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
    });
  });
}
