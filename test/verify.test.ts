// Verify mode: the equivalence classes it explores are counted exactly on scenarios built for it,
// it reaches the outcomes the unreduced exhaustive search reaches, it finds the built-in races,
// and it is deterministic.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario, type RunReport } from './helpers/dist.js';
import { schemaErrors } from './helpers/schemas.js';
import { command } from './helpers/in-process.js';
import { LITMUS_TESTS, type LitmusTest } from '../dist/src/scenarios/memory/litmus-tests.js';
import { tsoFinalStates } from './helpers/tso-reference.js';

/** A scenario file in which each of the two CPUs posts `n` times to word `word(cpu)`: n steps each. */
function postsScenario(n: number, word: (cpu: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'foliorace-verify-'));
  const file = join(dir, `posts-${n}.mjs`);
  writeFileSync(file, `import { defineScenario } from 'foliorace';
export default defineScenario({ name: 'posts-${n}', summary: 'posts', seeds: [], cpus: 2, before: '6.17', after: '6.17', expect: {},
  outcomes: { done: 'acceptable' }, setup() {},
  actor(cpu, vars) { for (let k = 0; k < ${n}; k++) vars.post(${word('cpu.id')}); },
  check() { return 'done'; } });
`);
  return file;
}

const binomial = (n: number, k: number): number => (k === 0 ? 1 : (binomial(n - 1, k - 1) * n) / k);
const reached = (r: RunReport): string[] => [...r.outcomes.filter((o) => o.count > 0).map((o) => o.name),
  ...(r.violations > 0 ? ['violation'] : []), ...(r.deadlocks > 0 ? ['deadlock'] : [])].sort();

describe('verify mode', () => {
  it('steps that touch different words: one class', async () => {
    const r = await runScenario({ scenario: postsScenario(3, (c) => c), mode: 'verify', seed: '1', out: null });
    expect(r.verify).toMatchObject({ classes: 1, complete: true, stoppedBy: null, pending: 0 });
  });

  it.each([1, 2, 3, 4])('%i conflicting writes on each of two CPUs: C(2n, n) classes', async (n) => {
    const r = await runScenario({ scenario: postsScenario(n, () => '0'), mode: 'verify', seed: '1', out: null });
    expect(r.verify).toMatchObject({ classes: binomial(2 * n, n), complete: true });
    expect(r.verify!.schedules).toBe(r.verify!.classes);
  });

  it('the same scenario, profile and seed: the same classes, runs and first failure', async () => {
    const run = (): Promise<RunReport> =>
      runScenario({ scenario: 'gup-longterm-vs-activate', kernel: '6.10', mode: 'verify', seed: '1', out: null });
    const [a, b] = [await run(), await run()];
    expect(a.verify).toEqual(b.verify);
    expect(a.firstFailure?.schedule).toBe(b.firstFailure?.schedule);
    expect(a.firstFailure?.outcome).toBe('pin-failed-batch-ref');
  });

  it('finds the race under the before-profile, shrunk, and the failure replays', async () => {
    const r = await runScenario({ scenario: 'madv-free-dio-read', kernel: '5.17', mode: 'verify', seed: '1', out: null });
    expect(r.verify?.stoppedBy).toBe('finding');
    expect(r.firstFailure).toMatchObject({ outcome: 'lost-dio-data', replayVerified: true });
    expect(r.firstFailure?.shrunk).not.toBeNull();
  });

  // Soundness: with every class explored, verify reaches the outcomes (and invariant results) that
  // the unreduced search reaches with at most 2 preemptions; with a bound of 2, the same as it.
  // The scenarios and profiles whose unreduced search takes a few seconds here; docs/verify.md has
  // every one (bench/verify.ts).
  const CASES = [['gup-remote-pin-touch', '6.10'], ['wp-reuse-local-batch', '5.17'], ['same-folio-two-batches', '6.10'],
    ['same-folio-two-batches', '6.11'], ['madv-free-swapin-clean-pte', '3.14-madvfree-naive'], ['madv-free-dio-read', '5.17'],
    ['gup-pin-unisolated-cma', '6.14'], ['gup-pin-mlocked-fault', '6.16']] as const;
  it.each(CASES)('%s under %s: the outcomes of the unreduced search with at most 2 preemptions', async (scenario, kernel) => {
    const o = { scenario, kernel, seed: '1', out: null } as const;
    const hooks = { keepGoing: true };
    const ex = await runScenario({ ...o, mode: 'exhaustive', preemptions: 2 }, hooks);
    const all = await runScenario({ ...o, mode: 'verify' }, hooks);
    const bounded = await runScenario({ ...o, mode: 'verify', preemptions: 2 }, hooks);
    expect(ex.exhaustive?.complete && all.verify?.complete && bounded.verify?.complete).toBe(true);
    expect(reached(all)).toEqual(reached(ex));
    expect(reached(bounded)).toEqual(reached(ex));
  });

  // --part I/N: the parts of one tree, run apart, add up to the whole: each class in one part.
  it.each([['same-folio-two-batches', '6.10'], ['madv-free-swapin-clean-pte', '3.14-madvfree-v3']] as const)(
    '%s under %s in 3 parts: their classes add up to the whole run\'s, their outcomes to its outcomes', async (scenario, kernel) => {
      const o = { scenario, kernel, seed: '1', out: null, mode: 'verify' } as const;
      const hooks = { keepGoing: true };
      const whole = await runScenario(o, hooks);
      const parts = [];
      for (let index = 1; index <= 3; index++) parts.push(await runScenario({ ...o, part: { index, count: 3 } }, hooks));
      expect(whole.verify?.complete && parts.every((p) => p.verify?.complete)).toBe(true);
      expect(parts.reduce((a, p) => a + p.verify!.classes, 0)).toBe(whole.verify!.classes);
      expect([...new Set(parts.flatMap(reached))].sort()).toEqual(reached(whole));
      const tops = parts.map((p) => p.verify!.part!);
      expect(new Set(tops.map((t) => t.subtrees)).size).toBe(1);
      expect(tops.reduce((a, t) => a + t.own, 0)).toBe(tops[0]!.subtrees);
      expect(tops.map((t) => t.index)).toEqual([1, 2, 3]);
    });

  it('a campaign cell in verify mode: found under the before-profile, "verified (N classes)" under the after-profile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'foliorace-verify-campaign-'));
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ name: 'v', description: 'verify cells', scenarios: ['gup-longterm-vs-activate'],
      profiles: ['6.10', '6.11'], modes: [{ mode: 'verify' }], seeds: ['1'], exit: 'expectation' }));
    const r = await command(['campaign', 'c.json', '--out', 'res'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/6\.10 +verify .*BUG REPRODUCED +found/);
    expect(r.stdout).toMatch(/6\.11 +verify .*verified \(\d[\d,]* classes\) +never/);
  });

  it('a campaign cell in parts, run by two shards: merge adds the parts up to the whole tree, and says when one is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'foliorace-verify-parts-'));
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ name: 'parts', scenarios: ['same-folio-two-batches'], profiles: ['6.10'],
      modes: [{ mode: 'verify', parts: 3 }], seeds: ['1'], exit: 'expectation' }));
    const foliorace = (...args: string[]) => command(args, { cwd: dir });
    for (const shard of ['1/2', '2/2']) expect((await foliorace('campaign', 'c.json', '--shard', shard, '--out', `s${shard[0]}`)).code).toBe(0);
    const shard1 = JSON.parse(readFileSync(join(dir, 's1', 'shard-1-of-2.json'), 'utf8'));
    expect(schemaErrors('campaign-shard', shard1)).toEqual([]);
    const whole = await runScenario({ scenario: 'same-folio-two-batches', kernel: '6.10', mode: 'verify', seed: '1', out: null });
    const merged = await foliorace('merge', 's1', 's2', '--out', 'm');
    expect(merged.code, merged.stderr).toBe(0);
    const m = JSON.parse(readFileSync(join(dir, 'm', 'merged.json'), 'utf8'));
    expect(schemaErrors('campaign-merged', m)).toEqual([]);
    const cell = m.cells[0];
    expect(cell.verify.classes).toBe(whole.verify!.classes);
    expect(cell.verify.complete).toBe(true);
    expect(cell.verify.parts.explored).toBe(cell.verify.parts.subtrees);
    expect(merged.stdout).toMatch(new RegExp(`verified \\(${whole.verify!.classes} classes, in 3 parts: all \\d+ subtrees\\)`));
    // without shard 2, the parts it ran are missing: not verified, and says how much was covered
    const partial = await foliorace('merge', 's1', '--partial', '--out', 'p');
    const p = JSON.parse(readFileSync(join(dir, 'p', 'merged.json'), 'utf8')).cells[0];
    expect(p.verify.complete).toBe(false);
    expect(p.verify.parts.explored).toBeLessThan(p.verify.parts.subtrees);
    expect(partial.stdout).toMatch(/NOT every class explored: [\d,]+, in 3 parts: \d+ of \d+ subtrees/);
  });
});

// Soundness under --memory tso: the final states (every register and the words written with more
// than one value) verify reaches with no bound equal those x86-TSO allows the litmus programs
// (docs/memory.md), every execution of a reference interpreter independent of the model
// (helpers/tso-reference.ts); the outcomes of the 6c8e2a256915 pair contain those of the unreduced
// search with at most 1 preemption. (With a bound, verify under tso may reach fewer than exhaustive
// at the same bound: docs/verify.md.)
describe('verify mode under tso', () => {
  /** The values `t` writes to word `x`. */
  const writtenValues = (t: LitmusTest, x: number): Set<number> => new Set(t.threads.flat().flatMap((o) => ('v' in o && o.x === x ? [o.v] : [])));
  /** The words `t` writes with more than one value: their final values are part of a final state. */
  const writtenTwice = (t: LitmusTest): number[] => [0, 1, 2].filter((x) => writtenValues(t, x).size > 1);

  /** A scenario file running litmus test `t` whose outcome is its whole final state. */
  function finalStates(t: LitmusTest): string {
    const file = join(mkdtempSync(join(tmpdir(), 'foliorace-verify-tso-')), `${t.name}.mjs`);
    const written = writtenTwice(t);
    // a register reads 0 or a value written to its word; a word written twice ends as one of its values or 0
    const values = (x: number): number[] => [0, ...writtenValues(t, x)];
    const reads = t.threads.flatMap((ops) => ops.flatMap((o) => (o.op === 'r' || o.op === 'acq' ? [o.x] : [])));
    const domains = [...reads.map(values), ...written.map(values)];
    const names = domains.reduce<string[]>((acc, d) => acc.flatMap((a) => d.map((v) => a + v)), ['']);
    expect(names.length).toBeLessThanOrEqual(64);
    writeFileSync(file, `import { defineScenario, kernel } from 'foliorace';
const threads = ${JSON.stringify(t.threads)};
const REGS = 4;
function exec(cpu, o, regs) {
  if (o.op === 'w') kernel.WRITE_ONCE(cpu, o.x, o.v);
  else if (o.op === 'r') regs.push(kernel.READ_ONCE(cpu, o.x));
  else if (o.op === 'rel') kernel.smp_store_release(cpu, o.x, o.v);
  else if (o.op === 'acq') regs.push(kernel.smp_load_acquire(cpu, o.x));
  else if (o.op === 'mb') kernel.smp_mb(cpu);
  else if (o.op === 'lock') kernel.spin_lock(cpu, cpu.L.SCN_VARS + 3);
  else kernel.spin_unlock(cpu, cpu.L.SCN_VARS + 3);
}
export default defineScenario({ name: 'final-${t.name}', summary: 'final states', seeds: [], cpus: ${t.threads.length},
  before: '6.17', after: '6.17', expect: {}, outcomes: Object.fromEntries(${JSON.stringify(names)}.map((n) => [n, 'acceptable'])),
  setup() {},
  actor(cpu, vars) { const regs = []; for (const o of threads[cpu.id]) exec(cpu, o, regs); regs.forEach((v, i) => vars.set(REGS + 8 * cpu.id + i, v)); },
  check(_cpu, vars) {
    let s = '';
    threads.forEach((ops, c) => ops.filter((o) => o.op === 'r' || o.op === 'acq').forEach((_o, i) => { s += vars.get(REGS + 8 * c + i); }));
    for (const x of ${JSON.stringify(written)}) s += vars.get(x);
    return s;
  } });
`);
    return file;
  }

  it.each(LITMUS_TESTS.map((t) => [t.name, t] as const))('%s: the final states x86-TSO allows, every one', async (_name, t) => {
    const v = await runScenario({ scenario: finalStates(t), memory: 'tso', seed: '1', out: null, mode: 'verify' }, { keepGoing: true });
    expect(v.verify?.complete).toBe(true);
    expect(v.unknown).toBe(0); // every final state reached is one the scenario names
    const allowed = [...tsoFinalStates(t, writtenTwice(t))].sort();
    expect(allowed.length).toBeGreaterThan(1);
    expect(reached(v)).toEqual(allowed);
  }, 300_000);

  it.each([
    ['no switch', {}, ['read-data-seen']],
    ['both switches', { 'lazyfree-refcheck-no-mb': true, 'ptep-get-and-clear-generic': true }, ['lost-dio-data', 'read-data-seen']],
  ] as const)('madv-free-dio-gup-fast, %s: every execution, at least what 1 preemption reaches', async (_n, patches, outcomes) => {
    const o = { scenario: 'madv-free-dio-gup-fast', kernel: '5.18', memory: 'tso', patches, seed: '1', out: null } as const;
    const hooks = { keepGoing: true };
    const ex = await runScenario({ ...o, mode: 'exhaustive', preemptions: 1 }, hooks);
    const v = await runScenario({ ...o, mode: 'verify' }, hooks);
    expect(ex.exhaustive?.complete && v.verify?.complete).toBe(true);
    expect(reached(v)).toEqual(expect.arrayContaining(reached(ex)));
    expect(reached(v)).toEqual(outcomes);
  }, 300_000);
});
