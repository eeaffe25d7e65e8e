// --memory tso (docs/memory.md): the litmus table as docs/memory.md states it, each row an
// exhaustive search under sc and tso; the 6c8e2a256915 cells; what a tso failure file holds, and
// that it replays; the same seed gives the same run; campaign cells and compare under tso.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayFailure, runScenario, tempOut } from './helpers/dist.js';
import { command, type Printed } from './helpers/in-process.js';
import { EVERY_SCHEDULE, LITMUS_TESTS } from '../dist/src/scenarios/memory/litmus-tests.js';
import { Explorer } from '../dist/src/host/explorer.js';
import { resolveRunOptions } from '../dist/src/host/options.js';
import { builtinScenario } from '../dist/src/scenarios/index.js';

/** The rows of docs/memory.md's litmus table: test → [LKMM, x86-TSO, sc, tso, bound]. */
function docTable(): Map<string, string[]> {
  const text = readFileSync(new URL('../docs/memory.md', import.meta.url), 'utf8');
  const rows = text.split('\n').filter((l) => /^\| [A-Z0-9].*\+/.test(l)).map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
  return new Map(rows.map(([name, ...cells]) => [name!, cells]));
}

/** `bound`: an exhaustive search with that preemption bound; absent, verify mode (every execution up to equivalence). */
async function search(scenario: string, memory: 'sc' | 'tso', bound?: number, patches: Record<string, boolean> = {}, kernel?: string) {
  const r = await runScenario({ scenario, memory, seed: '1', out: null, patches, ...(kernel ? { kernel } : {}),
    ...(bound === undefined ? { mode: 'verify' } : { mode: 'exhaustive', preemptions: bound }) });
  if (r.forbidden > 0) return 'found';
  return (bound === undefined ? r.verify?.complete : r.exhaustive?.complete) ? 'never' : 'incomplete';
}

describe('litmus tests (docs/memory.md)', () => {
  const table = docTable();

  it('the table lists every litmus scenario, with its x86-TSO verdict and bound', () => {
    expect([...table.keys()].sort()).toEqual(LITMUS_TESTS.map((t) => t.name).sort());
    for (const t of LITMUS_TESTS) {
      const [lkmm, tso, , , bound] = table.get(t.name)!;
      expect([lkmm, tso, Number(bound)], t.name).toEqual([t.lkmm ?? '-', t.tso, t.bound ?? EVERY_SCHEDULE]);
    }
  });

  it.each(LITMUS_TESTS.map((t) => [t.name, t] as const))('%s: as the table says, verify under sc and tso, exhaustive under tso', async (name, t) => {
    const [, verdict, sc, tso] = table.get(name)!;
    // the model under tso must agree with herd7's x86-TSO verdict; under sc nothing is ever reordered
    expect(tso).toBe(verdict === 'allowed' ? 'found' : 'never');
    expect(sc).toBe('never');
    expect(await search(`litmus-${name}`, 'sc')).toBe(sc);
    expect(await search(`litmus-${name}`, 'tso')).toBe(tso);
    expect(await search(`litmus-${name}`, 'tso', t.bound ?? EVERY_SCHEDULE)).toBe(tso);
  }, 300_000);
});

describe('6c8e2a256915: reclaim clears the PTE, smp_mb(), reads the refcount; GUP-fast the other way round', () => {
  const both = { 'lazyfree-refcheck-no-mb': true, 'ptep-get-and-clear-generic': true };
  it.each([
    ['sc', {}, 'never'],
    ['sc', both, 'never'],
    ['tso', {}, 'never'],
    ['tso', { 'lazyfree-refcheck-no-mb': true }, 'never'],
    ['tso', { 'ptep-get-and-clear-generic': true }, 'never'],
    ['tso', both, 'found'],
  ] as const)('--memory %s, switches %j, kernel 5.18: %s within 1 preemption', async (memory, patches, expected) => {
    expect(await search('madv-free-dio-gup-fast', memory, 1, patches, '5.18')).toBe(expected);
  }, 300_000);

  it('the tso failure file records the memory model, is shrunk, shows the flush step and replays', async () => {
    const out = tempOut();
    const r = await runScenario({ scenario: 'madv-free-dio-gup-fast', kernel: '5.18', memory: 'tso', mode: 'pct', seed: '1',
      iterations: 20_000, stopOnFirst: true, out, patches: both });
    expect(r.memory).toBe('tso');
    expect(r.firstFailure?.outcome).toBe('lost-dio-data');
    expect(r.firstFailure?.replayVerified).toBe(true);
    expect(r.firstFailure?.diagram).toMatch(/\(flush\) PTE mm0\[0\]/);
    expect(r.firstFailure?.replayString).toMatch(/:tso$/);
    const file = join(out, readdirSync(out)[0]!);
    const f = JSON.parse(readFileSync(file, 'utf8')) as { memory?: string; shrunk?: { schedule: string }; patches: Record<string, boolean> };
    expect(f.memory).toBe('tso');
    expect(f.shrunk?.schedule).toMatch(/\b[23]x\d+/); // a flush step: pseudo-CPU 2 (CPU0's buffer) or 3 (CPU1's)
    expect(f.patches['lazyfree-refcheck-no-mb']).toBe(true);
    const again = await replayFailure(file);
    expect(again.replay?.verdict).toBe('reproduced');
    expect(again.memory).toBe('tso');
  }, 300_000);

  it('an sc run records no memory model and none of the weak-memory switches that are off', async () => {
    const out = tempOut();
    const r = await runScenario({ scenario: 'gup-longterm-vs-activate', kernel: '6.10', mode: 'exhaustive', preemptions: 0, seed: '1', out });
    expect(r.memory).toBeUndefined();
    expect(Object.keys(r.patches)).not.toContain('ptep-get-and-clear-generic');
    const f = readFileSync(join(out, readdirSync(out)[0]!), 'utf8');
    expect(f).not.toMatch(/"memory"|lazyfree-refcheck-no-mb/);
    expect(r.firstFailure?.replayString?.split(':')).toHaveLength(12);
  }, 300_000);
});

describe('determinism under tso', () => {
  it('the same seed runs the same iterations, schedules and outcomes (pct)', async () => {
    const run = async () => {
      const r = await runScenario({ scenario: 'madv-free-dio-gup-fast', kernel: '5.18', memory: 'tso', mode: 'pct', seed: '7',
        iterations: 300, out: null, patches: { 'lazyfree-refcheck-no-mb': true, 'ptep-get-and-clear-generic': true } });
      const f = r.firstFailure;
      return JSON.stringify({ iterations: r.iterations, outcomes: r.outcomes, at: f?.iteration, schedule: f?.schedule, diagram: f?.diagram });
    };
    expect(await run()).toBe(await run());
  }, 300_000);

  // verify's races come from each step's footprint, the store-buffer slots a step used among its
  // words: a schedule must leave the same footprint whatever ran before it (the buffers' rings once
  // carried their position from run to run, and verify's count of classes varied under load)
  it('a schedule leaves the same footprints however many schedules ran before it (a fed run, as verify runs them)', async () => {
    const name = 'madv-free-dio-gup-fast';
    const scenario = builtinScenario(name)!;
    const r = resolveRunOptions({ scenario: name, kernel: '5.18', memory: 'tso', mode: 'verify', seed: '1' }, scenario);
    const explorer = await Explorer.open({ builtin: name }, scenario, r, true);
    try {
      const request = new Array<number>(60).fill(0); // CPU0 alone: its stores wait in its buffer, flushed at its end
      const first = await explorer.run(request, 0);
      expect(first.footprints?.some((f) => f.buffer.writes.length > 0)).toBe(true);
      for (let i = 0; i < 3; i++) expect(await explorer.run(request, 0)).toEqual(first);
    } finally {
      await explorer.close();
    }
  }, 300_000);
});

describe('campaigns and compare under tso', () => {
  const foliorace = (dir: string, ...args: string[]): Promise<Printed> => command(args, { cwd: dir });

  it('a campaign with an sc and a tso cell of SB: apart in the verdict table, the merged result and the HTML report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'foliorace-tso-campaign-'));
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ name: 'sb', description: 'SB under sc and tso', scenarios: ['litmus-SB+poonceonces'],
      profiles: ['6.17'], modes: [{ mode: 'verify' }, { mode: 'verify', memory: 'tso' }], seeds: ['1'] }));
    const run = await foliorace(dir, 'campaign', 'c.json', '--out', 'res');
    expect(run.code).toBe(1); // found: the tso cell
    expect(run.stdout).toMatch(/litmus-SB\+poonceonces +6\.17 +verify +.*verified \(\d+ classes\) +never\n/); // sc: never, as expected
    expect(run.stdout).not.toMatch(/DISAGREES/);
    expect(run.stdout).toMatch(/litmus-SB\+poonceonces +6\.17 +verify tso +.*BUG REPRODUCED +-/); // no expectation under tso
    expect((await foliorace(dir, 'merge', 'res', '--out', 'merged')).code).toBe(1);
    const merged = JSON.parse(readFileSync(join(dir, 'merged', 'merged.json'), 'utf8')) as
      { cells: { mode: string; memory?: string; forbidden: number; verify?: { complete: boolean } }[] };
    expect(merged.cells.map((c) => [c.mode, c.memory ?? 'sc', c.forbidden, c.verify?.complete])).toEqual([
      ['verify', 'sc', 0, true], ['verify', 'tso', 1, false]]);
    expect((await foliorace(dir, 'report', 'merged', '--html', 'html')).code).toBe(0);
    const html = readFileSync(join(dir, 'html', 'index.html'), 'utf8');
    expect(html).toMatch(/>verify: never/);
    expect(html).toMatch(/>verify tso: found 1</);
  });

  it('compare --memory tso: every profile under tso, SB found where sc never finds it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'foliorace-tso-compare-'));
    const args = ['compare', 'litmus-SB+poonceonces', '--kernels', '6.16,6.17', '--mode', 'verify', '--seed', '1', '--no-out', '--json'];
    const tso = await foliorace(dir, ...args, '--memory', 'tso');
    const sc = await foliorace(dir, ...args);
    expect([tso.code, sc.code]).toEqual([1, 0]);
    const runs = (r: { stdout: string }) => (JSON.parse(r.stdout) as { runs: { memory?: string; forbidden: number }[] }).runs
      .map((x) => [x.memory ?? 'sc', x.forbidden]);
    expect(runs(tso)).toEqual([['tso', 1], ['tso', 1]]);
    expect(runs(sc)).toEqual([['sc', 0], ['sc', 0]]);
  });
});
