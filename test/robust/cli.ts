// Spawning the built CLI for the robustness suite: bounded (a case that hangs fails, it never hangs
// the suite), at most a few at once, optionally signalled at given moments.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { command } from '../helpers/in-process.js';

export const CLI = new URL('../../dist/src/cli/main.js', import.meta.url).pathname;
const INDEX = new URL('../../dist/src/index.js', import.meta.url).pathname;
/** Longest any case may take: far beyond a watchdog plus its grace; reaching it is a hang. */
const BOUND_MS = 90_000;
const PARALLEL = 3;

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** From the first signal sent to the exit (ms), if one was sent. */
  stopMs: number | null;
  hung: boolean;
}

let running = 0;
const queue: (() => void)[] = [];
/** CLIs still running: ended with the test worker, if a case times out before its bound does. */
const children = new Set<ChildProcess>();
process.on('exit', () => { for (const c of children) c.kill('SIGKILL'); });
async function slot(): Promise<() => void> {
  if (running >= PARALLEL) await new Promise<void>((resolve) => queue.push(resolve));
  running++;
  return () => { running--; queue.shift()?.(); };
}

/**
 * Whether process `pid` is foliorace with its signal handlers installed: main.js names the process
 * "foliorace" right after installing them. (A signal before that moment ends Node itself, as for any
 * program that has not started; timing it by the wall clock fails on a busy machine.)
 */
function started(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'foliorace';
  } catch {
    return false;
  }
}

/** Runs `foliorace ...args`; `signals` are sent at their moments (ms after foliorace has started); `env` adds to the environment. */
export async function cli(args: readonly string[], signals: readonly [number, NodeJS.Signals][] = [],
  env: Record<string, string> = {}): Promise<CliResult> {
  const release = await slot();
  try {
    return await new Promise((resolve) => {
      const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
      children.add(child);
      let stdout = '';
      let stderr = '';
      let firstSignal: number | null = null;
      let hung = false;
      child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      const timers: NodeJS.Timeout[] = [];
      if (signals.length > 0) {
        const poll = setInterval(() => {
          if (!started(child.pid!)) return;
          clearInterval(poll);
          for (const [ms, sig] of signals) timers.push(setTimeout(() => { firstSignal ??= performance.now(); child.kill(sig); }, ms));
        }, 10);
        timers.push(poll);
      }
      const bound = setTimeout(() => { hung = true; child.kill('SIGKILL'); }, BOUND_MS);
      child.on('close', (code, signal) => {
        children.delete(child);
        for (const t of [...timers, bound]) clearTimeout(t);
        resolve({ code, signal, stdout, stderr, hung, stopMs: firstSignal === null ? null : performance.now() - firstSignal });
      });
    });
  } finally {
    release();
  }
}

/** Runs `foliorace ...args` in this process (helpers/in-process.ts), at most a few at once as `cli` runs them. */
export async function inProcess(args: readonly string[]): Promise<CliResult> {
  const release = await slot();
  try {
    return { ...(await command(args)), signal: null, stopMs: null, hung: false };
  } finally {
    release();
  }
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'foliorace-robust-'));
}

/** Every failure file in `dir` is complete JSON (none half written); returns them. */
export function failureFiles(dir: string): Record<string, unknown>[] {
  let names: string[];
  try { names = readdirSync(dir); } catch { return []; }
  return names.filter((n) => n.endsWith('.json')).map((n) => JSON.parse(readFileSync(join(dir, n), 'utf8')) as Record<string, unknown>);
}

export interface FixtureParts {
  cpus?: string;
  outcomes?: string;
  machine?: string;
  top?: string;
  setup?: string;
  actor?: string;
  check?: string;
}

/** Writes a scenario file built from `parts` into `dir`; returns its path. */
export function scenarioFile(dir: string, name: string, p: FixtureParts): string {
  const path = join(dir, `${name}.js`);
  writeFileSync(path, `import { defineScenario, kernel } from ${JSON.stringify(INDEX)};
${p.top ?? ''}
export default defineScenario({
  name: ${JSON.stringify(name)}, summary: 'robustness case', seeds: ['robustness suite'],
  cpus: ${p.cpus ?? '2'}, outcomes: ${p.outcomes ?? "{ done: 'acceptable', bad: 'forbidden' }"},
  ${p.machine ? `machine: ${p.machine},` : ''}
  before: '6.10', after: '6.11', expect: {},
  setup(cpu, vars) { ${p.setup ?? ''} },
  actor(cpu, vars) { kernel.lru_add_drain(cpu); ${p.actor ?? ''} },
  check(cpu, vars) { ${p.check ?? ''}; return 'done'; },
});
`);
  return path;
}

/** No stack trace anywhere in the output. */
export const STACK = /\n\s+at .+:\d+:\d+|\bat (async )?[\w.<>]+ \(/;
