// The built CLI against hostile scenarios, failure files, flags and signals: every case ends
// (bounded), with the documented exit code, without a stack trace, with no half-written file and
// without losing a finding made before the failure. What a case claims of a process (a worker that
// had to be ended, a signal, a hang bounded from outside, the environment) it claims of a spawned
// foliorace (cli); what it claims of the command's output and exit code, of the command run in this
// process (inProcess).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, failureFiles, inProcess, scenarioFile, STACK, tempDir, type CliResult } from './cli.js';
import { generator } from './hostile.js';
import { NEWEST_PROFILE } from '../../dist/src/kernel/profile.js';

const dir = tempDir();
/** For the cases that wait on it (a loop, a top level that never returns): 0.5 s, and 0.5 s of grace after it. */
const WATCHDOG = ['--watchdog', '500ms'];

function ended(r: CliResult, code: number): void {
  expect(r.hung, 'the case hung').toBe(false);
  expect(r.stderr + r.stdout).not.toMatch(STACK);
  expect(r.code, r.stderr).toBe(code);
}

describe.concurrent('a worker that hangs, exits or runs out of memory: report kept, exit 2, CPU/phase/iteration/seed named', () => {
  const cases: [string, Parameters<typeof scenarioFile>[2], string[], RegExp][] = [
    ['actor loops without preemption points (free)', { actor: 'if (cpu.id === 1) for (;;) {}' }, [],
      /CPU1 stopped reaching preemption points: .* \(in actor, iteration 0, seed 7\)/],
    ['actor loops without preemption points (pct)', { actor: 'if (cpu.id === 1) for (;;) {}' }, ['--mode', 'pct'],
      /CPU1 stopped reaching preemption points: .* \(in actor, iteration 0, seed 7\)/],
    ['setup loops', { setup: 'for (;;) {}' }, [], /CPU0 stopped reaching preemption points: .* \(in setup, iteration 0, seed 7\)/],
    ['check loops', { check: 'for (;;) {}' }, [], /CPU0 stopped reaching preemption points: .* \(in check, iteration 0, seed 7\)/],
    ['actor calls process.exit', { actor: 'if (cpu.id === 1) process.exit(3)' }, [], /CPU1 ended its worker with exit code 3 \(process\.exit\) \(in actor, iteration 0, seed 7\)/],
    ['setup calls process.exit', { setup: 'process.exit(0)' }, [], /CPU0 ended its worker with exit code 0 \(process\.exit\) \(in setup/],
    ['check calls process.exit', { check: 'process.exit(5)' }, [], /CPU0 ended its worker with exit code 5 \(process\.exit\) \(in check, iteration 0/],
    ['actor runs out of memory', { actor: 'if (cpu.id === 1) { const a = []; for (;;) a.push(new Array(1e5).fill(1)); }' }, ['--worker-memory', '64', '--watchdog', '30s'],
      /CPU1 ran out of memory \(each CPU's worker may use 64 MiB: --worker-memory\) \(in actor, iteration 0, seed 7\)/],
  ];
  for (const [what, parts, extra, message] of cases) {
    it(what, async () => {
      const file = scenarioFile(dir, what.replace(/\W+/g, '-'), parts);
      const r = await cli(['run', file, '--seed', '7', '--no-out', ...(extra.includes('--watchdog') ? [] : WATCHDOG), ...extra]);
      ended(r, 2);
      expect(r.stdout).toMatch(/seed 7 · 2 CPUs/);
      expect(r.stderr.trim().split('\n').at(-1)).toMatch(message);
    });
  }

  it('findings made before a hang are kept: counted, printed, written to a complete failure file that replays', async () => {
    const out = join(dir, 'kept');
    const file = scenarioFile(dir, 'finds-then-hangs', { top: 'let calls = 0;', actor: 'if (cpu.id === 1 && ++calls === 30) for (;;) {}', check: "return 'bad'" });
    const r = await cli(['run', file, '--mode', 'pct', '--seed', '3', '--out', out, ...WATCHDOG]);
    ended(r, 2);
    expect(r.stdout).toMatch(/bad\s+FORBIDDEN\s+29\b/);
    expect(r.stdout).toMatch(/FORBIDDEN bad in iteration 0/);
    expect(r.stderr).toMatch(/CPU1 stopped reaching preemption points: .* \(in actor, iteration 29, seed 3\)/);
    const [f] = failureFiles(out);
    expect(f).toMatchObject({ outcome: 'bad', iteration: 0, mode: 'pct' });
    const again = await cli(['replay', join(out, `finds-then-hangs-${NEWEST_PROFILE}-pct-3-0.json`)]);
    ended(again, 1);
    expect(again.stdout).toMatch(/^reproduced: bad \(recorded in pct mode, iteration 0\)$/m);
  });

  it('a livelock in the model, free mode, ends with the report (exit 1) as a livelock, not a watchdog timeout nor an internal error', async () => {
    const lock = 'kernel.spin_lock(cpu, kernel.lru_lock_addr(cpu)); kernel.spin_unlock(cpu, kernel.lru_lock_addr(cpu));';
    const file = scenarioFile(dir, 'livelock', { actor: `if (cpu.id === 1) for (;;) { ${lock} }` });
    // the livelock ends the run in steps, long before this watchdog could
    const r = await cli(['run', file, '--seed', '1', '--out', join(dir, 'livelock-out'), '--watchdog', '5s']);
    ended(r, 1);
    expect(r.stdout).toMatch(/deadlocks: 0 {3}livelocks: 1 \(a livelock ends the run\)/);
    expect(r.stdout).toMatch(/LIVELOCK livelock: CPU1 made no progress for \d+ steps/);
    expect(r.stdout).not.toMatch(/watchdog: no iteration finished for too long/);
    expect(r.stderr).not.toMatch(/internal error/);
  });
});

describe.concurrent('hostile scenario files: exit 2, one line naming the field', () => {
  const cases: [string, Parameters<typeof scenarioFile>[2], RegExp][] = [
    ['an outcome kind typo', { outcomes: "{ done: 'acceptable', bad: 'forbiden' }" }, /outcomes\["bad"\] must be one of acceptable, forbidden, interesting \(got "forbiden"\)/],
    ['cpus 0', { cpus: '0' }, /cpus must be an integer from 1 to 256 \(got 0\)/],
    ['cpus 1.5', { cpus: '1.5' }, /cpus must be an integer from 1 to 256 \(got 1\.5\)/],
    ['no outcomes', { outcomes: '{}' }, /outcomes must be 1 to 64 outcomes \(got 0\)/],
    ['machine.folios 1e9', { machine: '{ folios: 1e9 }' }, /machine\.folios must be an integer from 1 to 1,048,576/],
    ['traceCapacity 0', { machine: '{ traceCapacity: 0 }' }, /machine\.traceCapacity must be an integer from 1 to 65,536 \(got 0\)/],
    ['process.exit(0) at the top level', { top: 'process.exit(0);' }, /called process\.exit while loading \(code 0\)/],
    ['a throw at the top level', { top: "throw new Error('top boom');" }, /decl-a-throw-at-the-top-level\.js does not load: \S*decl-a-throw-at-the-top-level\.js:2:7: top boom/],
    ['an import that does not resolve', { top: "import './no-such-helper.js';" }, /does not load: \S*\.js:2:8: Could not resolve "\.\/no-such-helper\.js"/],
  ];
  for (const [what, parts, message] of cases) {
    it(what, async () => {
      const r = await inProcess(['run', scenarioFile(dir, `decl-${what.replace(/\W+/g, '-')}`, parts), '--no-out']);
      ended(r, 2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
    });
  }
});

describe.concurrent('a scenario file whose top level never returns or exhausts memory: bounded, exit 2', () => {
  // imported on the main thread, such a file used to hang foliorace beyond its watchdog and signals
  const loop = (): string => scenarioFile(dir, 'top-loop', { top: 'for (;;) {}' });
  const cases: [string, () => string[], RegExp][] = [
    ['await that never resolves', () => ['run', scenarioFile(dir, 'top-await', { top: 'await new Promise(() => {});' }), '--no-out', ...WATCHDOG],
      /top-await\.js did not finish loading within 500 ms/],
    ['run', () => ['run', loop(), '--no-out', ...WATCHDOG], /top-loop\.js did not finish loading within 500 ms \(a top level that loops, or awaits what never comes\? --watchdog sets the limit\)/],
    ['compare', () => ['compare', loop(), '--no-out', ...WATCHDOG], /top-loop\.js did not finish loading within 500 ms/],
    ['top level runs out of memory', () => ['run', scenarioFile(dir, 'top-oom', { top: 'const a = []; for (;;) a.push(new Array(1e5).fill(1));' }),
      '--no-out', '--worker-memory', '64', '--watchdog', '30s'], /top-oom\.js ran out of memory while loading \(a worker may use 64 MiB: --worker-memory\)/],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const r = await cli(args());
      ended(r, 2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    });
  }

  it('a worker slow to start is foliorace\'s time, not the file\'s: a file that loads at once runs under a 500 ms limit while every worker takes 1 s to start', async () => {
    const stall = join(dir, 'stall-workers.mjs'); // preloaded by every thread of the process (NODE_OPTIONS): each worker's 1 s
    writeFileSync(stall, "import { isMainThread } from 'node:worker_threads';\nif (!isMainThread) { const t = Date.now(); while (Date.now() - t < 1000); }\n");
    const r = await cli(['run', scenarioFile(dir, 'loads-at-once', {}), '--mode', 'pct', '--iterations', '10', '--seed', '1', '--no-out', ...WATCHDOG],
      [], { NODE_OPTIONS: `--import=${stall}` });
    ended(r, 0);
    expect(r.stdout).toMatch(/seed 1 · 2 CPUs/);
  });

  it('a temporary directory that cannot take the bundle is one line, exit 2', async () => {
    const file = scenarioFile(dir, 'no-tmp', {});
    const r = await cli(['run', file, '--no-out'], [], { TMPDIR: file }); // a file, not a directory
    ended(r, 2);
    expect(r.stderr).toMatch(/^foliorace: cannot write the bundle of \S*no-tmp\.js into \S*no-tmp\.js\/foliorace-scenarios \(ENOTDIR\); set TMPDIR to a writable directory\n$/);
  });

  it('a signal while it loads ends the command at once with 130, nothing run', async () => {
    const r = await cli(['run', loop(), '--no-out'], [[300, 'SIGINT']]);
    // the module never finishes loading: only the signal ends it (no time bound asserted: speed is bench/'s)
    ended(r, 130);
    expect(r.stopMs).not.toBeNull();
    // while it loads in the probe's worker, or (a slower host) still bundling it before that
    expect(r.stderr).toMatch(/stopped (while \S*top-loop\.js was loading|before \S*top-loop\.js was loaded); nothing ran/);
  });
});

describe.concurrent('flags and output paths are checked before any work', () => {
  const trace = join(dir, 'no-such-dir', 't.json');
  const cases: [string, string[], RegExp][] = [
    ['--out under /proc (used to hang)', ['run', 'gup-longterm-vs-activate', '--out', '/proc/foliorace-out'], /--out: \/proc\/foliorace-out is on a kernel pseudo-filesystem/],
    ['--out naming a file', ['run', 'gup-longterm-vs-activate', '--out', '/etc/hostname'], /--out: \/etc\/hostname exists and is not a directory/],
    ['--trace into a missing directory', ['run', 'gup-longterm-vs-activate', '--kernel', '6.10', '--mode', 'pct', '--out', join(dir, 'trace-out'), '--trace', trace],
      /--trace: cannot write .*t\.json: directory .*no-such-dir does not exist/],
    ['bench --plot into a missing directory', ['bench', 'drain', '--plot', '/nonexistent/dir/p.svg'], /--plot: cannot write \/nonexistent\/dir\/p\.svg/],
    ['replay --trace into a missing directory', ['replay', 'x.json', '--trace', '/nonexistent/t.json'], /--trace: cannot write/],
    ['--out with --no-out', ['run', 'gup-longterm-vs-activate', '--out', 'x', '--no-out'], /--out and --no-out contradict each other/],
    ['--patch X=on with X=off', ['run', 'gup-longterm-vs-activate', '--patch', 'gup-always-drain=on', '--patch', 'gup-always-drain=off'],
      /--patch gup-always-drain is given both on and off/],
    ['--patch constructor=on', ['run', 'gup-longterm-vs-activate', '--patch', 'constructor=on'], /unknown patch switch "constructor"/],
    ['--worker-memory 0', ['run', 'gup-longterm-vs-activate', '--worker-memory', '0'], /--worker-memory must be an integer from 32/],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const r = await inProcess(args);
      ended(r, 2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
    });
  }
  it('nothing was written for the refused --trace run', () => expect(existsSync(join(dir, 'trace-out'))).toBe(false));

  it('no arguments: the help on stderr, exit 2', async () => {
    const r = await inProcess([]);
    ended(r, 2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^foliorace — /);
  });
});

describe.concurrent('hostile failure files through the CLI', () => {
  const good = join(dir, 'good');
  let base: Promise<Record<string, unknown>> | null = null;
  function baseFile(): Promise<Record<string, unknown>> {
    base ??= inProcess(['run', 'gup-longterm-vs-activate', '--kernel', '6.10', '--mode', 'pct', '--seed', '1', '--iterations', '20',
      '--stop-on-first', '--out', good]).then((r) => {
      ended(r, 1);
      return failureFiles(good)[0]!;
    });
    return base;
  }
  const fifo = join(dir, 'fifo.json');
  execFileSync('mkfifo', [fifo]);
  const cases: [string, Record<string, unknown> | string, number, RegExp][] = [
    ['a schedule that would expand without bound', { schedule: '0x99999999999' }, 2, /"schedule": the schedule has more than 20,000 steps/],
    ['a schedule above the step limit', { schedule: '0x30000' }, 2, /scheduleCapacity/],
    ['iteration 2^31', { iteration: 2147483648 }, 2, /"iteration" must be an integer from 0 to 2,147,483,647 \(got 2147483648\)/],
    ['an outcome the scenario does not declare', { outcome: 'nope' }, 2, /"outcome" "nope" is not a forbidden outcome of scenario gup-longterm-vs-activate/],
    ['a patch named constructor', { patches: { constructor: true } }, 2, /unknown patch switch "constructor"/],
    ['a FIFO', fifo, 2, /not a regular file/],
    ['/dev/zero', '/dev/zero', 2, /not a regular file/],
  ];
  for (const [what, change, code, message] of cases) {
    it(what, async () => {
      let path = typeof change === 'string' ? change : '';
      if (typeof change !== 'string') {
        path = join(dir, `ff-${what.replace(/\W+/g, '-')}.json`);
        writeFileSync(path, JSON.stringify({ ...(await baseFile()), ...change }));
      }
      // a FIFO or a device is opened, if at all, by a process the case can end from outside
      const r = await (typeof change === 'string' ? cli : inProcess)(['replay', path]);
      ended(r, code);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });
  }

  it('a different forbidden outcome: "reproduced a different outcome", exit 1', async () => {
    const path = join(dir, 'ff-different.json');
    writeFileSync(path, JSON.stringify({ ...(await baseFile()), outcome: 'pinned-unpinnable' }));
    const r = await inProcess(['replay', path]);
    ended(r, 1);
    expect(r.stdout).toMatch(/^reproduced a different outcome \(pin-failed-batch-ref, forbidden\); the file recorded pinned-unpinnable \(recorded in pct mode, iteration \d+\)$/m);
  });

  it('under a kernel without the bug: "did not reproduce", exit 0, naming the file\'s real mode', async () => {
    const f = await baseFile();
    const path = join(dir, 'ff-fixed.json');
    writeFileSync(path, JSON.stringify({ ...f, kernel: '6.11', patches: {} }));
    const r = await inProcess(['replay', path]);
    ended(r, 0);
    expect(r.stdout).toMatch(/^did not reproduce pin-failed-batch-ref \(recorded in pct mode, iteration \d+\): the recorded pct-mode schedule did not reproduce it/m);
    expect(r.stdout).not.toMatch(/free-mode/);
  });
});

describe.concurrent('signals at random moments: report printed, failure files complete, exit 130/143', () => {
  const next = generator('signals', 2);
  // from the moment foliorace catches signals: while its workers start (the first 0.1 s), while they run
  const moments = Array.from({ length: 8 }, (_, i) => [next(1200), i % 2 === 0 ? 'SIGINT' : 'SIGTERM'] as const);
  for (const [ms, sig] of moments) {
    it(`run, ${sig} at ${ms} ms`, async () => {
      const out = join(dir, `sig-${ms}`);
      const r = await cli(['run', 'gup-longterm-vs-activate', '--kernel', '6.10', '--mode', 'pct', '--seed', String(ms), '--iterations', '100000000',
        '--out', out], [[ms, sig]]);
      ended(r, sig === 'SIGINT' ? 130 : 143);
      expect(r.stdout).toMatch(/seed \d+ · 2 CPUs/);
      const files = failureFiles(out); // complete JSON, or none
      if (/FORBIDDEN pin-failed-batch-ref in iteration/.test(r.stdout)) expect(files).toHaveLength(1);
    });
  }

  // The second signal 0 to 35 ms after the first: from the moment the run stops to the process's
  // end. A natural exit tore Node's signal handlers down before the process ended, and a signal in
  // that window ended it by SIGINT (4 of 30 runs at these moments), not with 130.
  it.each([0, 5, 10, 15, 20, 25, 30, 35])('a second signal %i ms after the first quits at once, exit 130', async (gap) => {
    const r = await cli(['run', 'gup-longterm-vs-activate', '--mode', 'pct', '--iterations', '100000000', '--no-out'],
      [[500, 'SIGINT'], [500 + gap, 'SIGINT']]);
    expect(r.hung).toBe(false);
    expect([r.code, r.signal]).toEqual([130, null]);
  });

  const others: [string, string[], NodeJS.Signals, RegExp][] = [
    ['compare', ['compare', 'wp-reuse-local-batch', '--mode', 'pct', '--iterations', '100000000', '--no-out'], 'SIGTERM', /case\s+5\.17\b/],
    ['bench drain', ['bench', 'drain', '--cpus', '2,4', '--reps', '100000'], 'SIGTERM', /./],
    ['demo', ['demo'], 'SIGINT', /scenario\s+kernel\s+mode/],
    ['a hung run', ['run', scenarioFile(dir, 'sig-hang', { actor: 'if (cpu.id === 1) for (;;) {}' }), '--no-out'], 'SIGINT', /seed \w+ · 2 CPUs/],
  ];
  for (const [what, args, sig, shows] of others) {
    it(`${what}: ${sig} prints what it has`, async () => {
      // each prints what it has from its first moments on (a heading, an empty table): 1 s into it
      const r = await cli(args, [[1000, sig]]);
      ended(r, sig === 'SIGINT' ? 130 : 143);
      expect(r.stdout).toMatch(shows);
    });
  }
});

describe('the failure file of an interrupted run', () => {
  it('is never half written (written whole, then linked)', () => {
    const text = readFileSync(new URL('../../src/repro/failure.ts', import.meta.url), 'utf8');
    expect(text).toMatch(/linkSync\(tmp, path\)/);
  });
});
