// The command line as npm, jcstress and kselftest users expect it: whole --duration runs, output
// that fits 80 columns, usage errors for meaningless combinations, a trace whose spans close and
// whose locks have names, TAP and JUnit reports. The commands run in this process
// (helpers/in-process.ts): what they print is what a process prints.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { progressText } from '../dist/src/cli/progress.js';
import { resolveRunOptions, MAX_ITERATIONS, DEFAULT_ITERATIONS } from '../dist/src/host/options.js';
import { builtinScenario } from '../dist/src/scenarios/index.js';
import { wordName } from '../dist/src/report/format.js';
import { computeLayout, Ctrl } from '../dist/src/shm/layout.js';
import { tempOut } from './helpers/dist.js';
import { run } from './helpers/in-process.js';
import { schemaErrors } from './helpers/schemas.js';

const widest = (text: string): number => Math.max(...text.split('\n').map((l) => [...l].length));

describe('--duration', () => {
  it('without --iterations, the iteration limit is lifted: the run lasts the whole duration', async () => {
    const s = builtinScenario('gup-longterm-vs-activate')!;
    expect(resolveRunOptions({ scenario: s.name, durationMs: 500 }, s).iterations).toBe(MAX_ITERATIONS);
    expect(resolveRunOptions({ scenario: s.name }, s).iterations).toBe(DEFAULT_ITERATIONS);
    expect(resolveRunOptions({ scenario: s.name, durationMs: 500, iterations: 7 }, s).iterations).toBe(7);
    const r = await run('run', 'gup-longterm-vs-activate', '--kernel', '6.11', '--mode', 'pct', '--duration', '400ms', '--seed', '1', '--json', '--no-out');
    const report = JSON.parse(r.stdout) as { elapsedMs: number; iterations: number };
    expect(report.elapsedMs).toBeGreaterThanOrEqual(400); // it ends only once the duration is over
  });
});

describe('the progress line', () => {
  it('fits the terminal (one column to spare) and says iterations/s, forbidden so far and time left', () => {
    for (const columns of [80, 60, 120]) {
      const line = progressText(columns, 'gup-longterm-vs-activate seed 1', 100_000, 0, 2000, 25_000, 3);
      expect(line.length).toBeLessThan(columns);
      expect(line).toMatch(/25,000\/100,000 · 12,500\/s · forbidden 3 · 6s left$/);
    }
    const timed = progressText(80, 'x', 0, 10_000, 4000, 1000, 0);
    expect(timed).toMatch(/\[#{10,}\.{10,}\] 1,000 · 250\/s · forbidden 0 · 6s left$/);
    expect(progressText(30, 'a-long-scenario-name seed 1', 100, 0, 1000, 10, 0).length).toBeLessThan(30);
  });
});

describe('80 columns', () => {
  it('list and kernels fit; kernels names each profile\'s switches, --wide keeps the grid', async () => {
    const list = (await run('list')).stdout;
    expect(widest(list)).toBeLessThanOrEqual(80);
    expect(list).toMatch(/^gup-longterm-vs-activate · 2 CPUs · 6\.10 → 6\.11$/m);
    const kernels = (await run('kernels')).stdout;
    expect(widest(kernels)).toBeLessThanOrEqual(80);
    expect(kernels).toMatch(/^6\.11\n.*\n {4}on: folio-batch-31, lru-clear-at-enqueue,/m);
    const wide = await run('kernels', '--wide');
    expect(wide.code).toBe(0);
    expect(wide.stdout).toMatch(/^profile\s+#1\s+#2\s+#3/m);
  });

  it('a two-CPU failure block with its race diagram fits', async () => {
    const r = await run('run', 'gup-longterm-vs-activate', '--kernel', '6.10', '--mode', 'pct', '--seed', '1', '--iterations', '50', '--no-out');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FORBIDDEN pin-failed-batch-ref/);
    // the replay string is one token to paste: it is printed whole on its own line, never wrapped
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => l.startsWith('replay string: '))).toHaveLength(1);
    expect(widest(lines.filter((l) => !l.startsWith('replay string: ')).join('\n'))).toBeLessThanOrEqual(80);
  });
});

describe('--trace', () => {
  it('every span closes (the lru_add_drain_all mutex too), locks by name, steps labelled; the run says where it went', async () => {
    const file = join(tempOut(), 'run.json');
    const r = await run('run', 'gup-longterm-vs-activate', '--kernel', '6.17', '--mode', 'pct', '--seed', '1', '--iterations', '2000',
      '--stop-on-first', '--no-out', '--trace', file);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`trace written to ${file}`);
    const t = JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: { ph: string; name: string; tid: number }[]; otherData: { timeAxis: string }; displayTimeUnit?: string };
    expect(schemaErrors('trace', t)).toEqual([]);
    const open = new Map<string, number>();
    for (const e of t.traceEvents) {
      if (e.ph === 'B' || e.ph === 'E') open.set(`${e.tid} ${e.name}`, (open.get(`${e.tid} ${e.name}`) ?? 0) + (e.ph === 'B' ? 1 : -1));
    }
    expect([...open.keys()]).toContain('0 lru_add_drain_all mutex');
    expect([...open.values()].every((n) => n === 0)).toBe(true);
    expect(t.traceEvents.some((e) => / word \d+/.test(e.name))).toBe(false);
    expect(t.otherData.timeAxis).toMatch(/schedule steps .* not wall time/);
    expect(t.displayTimeUnit).toBeUndefined();
  });

  it('says so when nothing failed and no trace was written', async () => {
    const file = join(tempOut(), 'none.json');
    const r = await run('run', 'gup-longterm-vs-activate', '--kernel', '6.11', '--mode', 'pct', '--seed', '1', '--iterations', '30', '--trace', file);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`no trace written to ${file}: no iteration failed`);
  });

  it('lock words have names', () => {
    const L = computeLayout({ cpus: 2, folios: 8, cmaFolios: 2, mms: 1, ptesPerMm: 4, swapSlots: 4, batchSize: 15,
      traceCapacity: 16, scheduleCapacity: 16, scenarioVars: 4, outcomes: 2 });
    expect(wordName(L, L.CTRL + Ctrl.SWAP_LOCK)).toBe('swap_lock');
    expect(wordName(L, L.CTRL + Ctrl.LRU_LOCK)).toBe('lru_lock');
  });
});

describe('CI reporters', () => {
  it('--reporter tap prints TAP version 13 with a plan, a point per outcome, diagnostics and totals; --junit writes XML', async () => {
    const junit = join(tempOut(), 'junit.xml');
    const r = await run('run', 'gup-longterm-vs-activate', '--kernel', '6.10', '--mode', 'pct', '--seed', '1', '--iterations', '40', '--no-out',
      '--reporter', 'tap', '--junit', junit);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('TAP version 13');
    const plan = /^1\.\.(\d+)$/.exec(lines[1]!);
    const points = lines.filter((l) => /^(ok|not ok) \d+ /.test(l));
    expect(points).toHaveLength(Number(plan![1]));
    expect(points).toContain(points.find((l) => /^not ok \d+ gup-longterm-vs-activate 6\.10: pin-failed-batch-ref \(forbidden, \d+ of 40 iterations\)$/.test(l)));
    expect(lines.at(-1)).toMatch(/^# Totals: pass:5 fail:1 xfail:0 xpass:0 skip:0 error:0$/);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testsuites name="foliorace" tests="6" failures="1">/);
    expect(xml).toMatch(/<testcase classname="foliorace\.gup-longterm-vs-activate\.6\.10" name="pin-failed-batch-ref" time="0">\n\s+<failure message="pin-failed-batch-ref: forbidden, \d+ of 40 iterations" type="forbidden">/);
  });
});
