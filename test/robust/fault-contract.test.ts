// The fault contract (docs/cli.md, "Exit codes"), in every mode and every command that runs a
// scenario's schedules: whatever the scenario's own code does wrong (a throw in setup, in an actor
// on either CPU, after preemption points, in check; a thrown non-Error; a loop; process.exit; out of
// memory) the command ends with exit 2, its first line is the scenario error at the user's
// file:line (for a worker that had to be ended: the CPU's line), a throw names its phase and CPU and
// gets a failure file that replays to it, and nothing says the run succeeded. The modes come from
// the tool itself (sched/modes.ts): a new mode is in this table before it can ship. Every fault
// ends a real foliorace process under `run --mode pct` (PROCESS); the other commands run in this
// process (runCommand: the same output and exit code, without a process start-up each).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODES } from '../../dist/src/sched/modes.js';
import { resolveProfile } from '../../dist/src/kernel/profile.js';
import { FOLIORACE_VERSION, profileFingerprint } from '../../dist/src/version.js';
import { cli, inProcess, scenarioFile, STACK, tempDir, type FixtureParts } from './cli.js';

const dir = tempDir();
const SEED = '7';
/** replay is a command of its own (below), not a mode a run can be given. */
const RUN_MODES = MODES.filter((m) => m !== 'replay');
/** What a report of success says: a search explored or found, a replay or shrink that worked. */
const SUCCESS = /explored|found after|none forbidden|^reproduced|shrunk in/m;

interface Fault {
  name: string;
  parts: FixtureParts;
  /** The scenario error's first line, given the scenario file's path and text. */
  line: (path: string, text: string) => RegExp;
  /** A throw: the phase and CPU its second line names. */
  throws?: { phase: string; cpu: number };
  /** --watchdog and --worker-memory, for every command (a campaign's, for each of its cells). */
  watchdog?: string;
  memory?: string;
}

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** `path:line:col: message` of `throw new Error(message)` in `text` (where a stack puts it). */
const thrown = (message: string) => (path: string, text: string): RegExp => {
  const lines = text.split('\n');
  const n = lines.findIndex((l) => l.includes(`'${message}'`));
  const col = lines[n]!.indexOf(`new Error('${message}')`) + 1;
  return new RegExp(`^foliorace: scenario error: ${esc(path)}:${n + 1}:${col}: ${esc(message)}$`);
};
const workerLine = (what: string) => (): RegExp =>
  new RegExp(`^foliorace: scenario error: CPU1 ${what} \\(in actor, iteration \\d+, seed ${SEED}\\)$`);

/** The faults whose workers must be ended come first: the longest cases start while the others run. */
const FAULTS: Fault[] = [
  { name: 'a loop', parts: { actor: 'if (cpu.id === 1) for (;;) {}' }, watchdog: '500ms',
    line: workerLine('stopped reaching preemption points: no iteration finished for 500 ms \\(--watchdog\\).*') },
  { name: 'process.exit', parts: { actor: 'if (cpu.id === 1) process.exit(3)' }, line: workerLine('ended its worker with exit code 3 \\(process\\.exit\\)') },
  { name: 'out of memory', parts: { actor: 'if (cpu.id === 1) { const a = []; for (;;) a.push(new Array(1e5).fill(1)); }' },
    watchdog: '30s', memory: '64', line: workerLine("ran out of memory \\(each CPU's worker may use \\d+ MiB: --worker-memory\\)") },
  { name: 'throw in setup', parts: { setup: "throw new Error('setup fails')" }, line: thrown('setup fails'), throws: { phase: 'setup', cpu: 0 } },
  { name: 'throw in the actor of CPU0', parts: { actor: "if (cpu.id === 0) throw new Error('cpu0 fails')" }, line: thrown('cpu0 fails'),
    throws: { phase: 'actor', cpu: 0 } },
  { name: 'throw in the actor of CPU1', parts: { actor: "if (cpu.id === 1) throw new Error('cpu1 fails')" }, line: thrown('cpu1 fails'),
    throws: { phase: 'actor', cpu: 1 } },
  { name: 'throw after preemption points', parts: { actor: "vars.post(4); vars.post(5); if (cpu.id === 1) throw new Error('late fail')" },
    line: thrown('late fail'), throws: { phase: 'actor', cpu: 1 } },
  { name: 'throw in check', parts: { check: "throw new Error('check fails')" }, line: thrown('check fails'), throws: { phase: 'check', cpu: 0 } },
  { name: 'a thrown string', parts: { actor: "if (cpu.id === 1) throw 'a string'" }, throws: { phase: 'actor', cpu: 1 },
    line: (path) => new RegExp(`^foliorace: scenario error: ${esc(path)}: CPU1: threw "a string" \\(not an Error, so no stack\\)$`) },
];

interface Command {
  name: string;
  /** It writes a throw's failure file (and says whether it replays to the throw). */
  writes: boolean;
  args: (path: string, f: Fault) => string[];
}

const limits = (f: Fault): string[] => [...(f.watchdog ? ['--watchdog', f.watchdog] : []), ...(f.memory ? ['--worker-memory', f.memory] : [])];
const RUN = ['--seed', SEED, '--iterations', '20'];

/** A failure file recording a forbidden outcome of `path`'s scenario, as a run in pct mode would write it. */
function forbiddenFile(path: string): string {
  const patches = { ...resolveProfile('6.17').patches };
  const file = path.replace(/\.js$/, '.failure.json');
  writeFileSync(file, JSON.stringify({
    foliorace: 1, scenario: path, kernel: '6.17', patches, mode: 'pct', seed: SEED, cpus: 2, iteration: 0, schedule: '0x1',
    kind: 'forbidden', outcome: 'bad', version: FOLIORACE_VERSION, fingerprint: profileFingerprint(patches),
  }));
  return file;
}

/** A campaign of one cell: the scenario in pct mode. */
function campaignFile(path: string): string {
  const file = path.replace(/\.js$/, '.campaign.json');
  writeFileSync(file, JSON.stringify({ name: 'faults', scenarios: [path], profiles: ['6.17'], modes: [{ mode: 'pct', iterations: 20 }], seeds: [SEED] }));
  return file;
}

const COMMANDS: Command[] = [
  ...RUN_MODES.map((mode): Command => ({ name: `run --mode ${mode}`, writes: true,
    args: (path, f) => ['run', path, '--mode', mode, ...RUN, '--out', join(dir, `out-${mode}`), ...limits(f)] })),
  { name: 'compare', writes: true, args: (path, f) => ['compare', path, '--mode', 'pct', ...RUN, '--out', join(dir, 'out-compare'), ...limits(f)] },
  { name: 'campaign cell', writes: true, args: (path, f) => ['campaign', campaignFile(path), '--out', join(dir, 'out-campaign'), ...limits(f)] },
  { name: 'replay', writes: false, args: (path, f) => ['replay', forbiddenFile(path), ...limits(f)] },
  { name: 'shrink', writes: true, args: (path, f) => ['shrink', forbiddenFile(path), ...limits(f)] },
];

/** The command each fault's case runs as a process. */
const PROCESS = 'run --mode pct';

/** stderr's lines but the ones a command prints of its own before anything runs (a campaign's heading). */
const errorLines = (stderr: string): string[] => stderr.split('\n').filter((l) => !/^campaign faults \(/.test(l));

describe.concurrent('every fault of a scenario\'s code, under every mode and command: exit 2 at the user\'s line, never success',
  { timeout: 300_000 }, () => {
    for (const f of FAULTS) {
      for (const c of COMMANDS) {
        it(`${f.name} · ${c.name}${c.name === PROCESS ? ' (a process)' : ''}`, async () => {
          const path = scenarioFile(dir, `${f.name}-${c.name}`.replace(/\W+/g, '-'), f.parts);
          const r = await (c.name === PROCESS ? cli : inProcess)(c.args(path, f));
          expect(r.hung, 'the command hung').toBe(false);
          expect(r.code, r.stderr).toBe(2);
          expect(r.stderr + r.stdout).not.toMatch(STACK);
          expect(r.stdout).not.toMatch(SUCCESS);
          const [first, second, third] = errorLines(r.stderr);
          expect(first).toMatch(f.line(path, readFileSync(path, 'utf8')));
          if (!f.throws) return;
          expect(second).toMatch(new RegExp(`^ {2}in ${f.throws.phase}\\(\\) on CPU${f.throws.cpu}, .* · seed ${SEED}$`));
          expect(third).toMatch(c.writes ? /^ {2}replay: npx foliorace replay \S+\.json \(verified: it throws again\)$/
            : /^ {2}replayed from \S+: it throws \(the file recorded forbidden bad\)$/);
        });
      }
    }
  });
