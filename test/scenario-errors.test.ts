// Errors in a user's scenario are the user's: exit 2 with the user's file:line, CPU, iteration and
// seed, a failure file that replays to the throw; syntax and type errors at their line; undeclared
// outcomes counted as `unknown` (exit 1); bad kernel arguments named. Every case runs the built
// command in the directory of a scenario written outside the repository, importing from 'foliorace'.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from './helpers/dist.js';
import { command, type Printed } from './helpers/in-process.js';

const dir = mkdtempSync(join(tmpdir(), 'foliorace-user-'));

/** The two-CPU activation race of the fixtures, importing 'foliorace' as a user's file does; `edit` changes it. */
const RACE = readFileSync(new URL('./fixtures/tiny-scenario.ts', import.meta.url), 'utf8')
  .replace("'../../dist/src/index.js'", "'foliorace'");

/** `line:col` of `token` on the first line of `text` that contains `line` (what a stack or tsc reports). */
function at(text: string, line: string, token: string = line): string {
  const lines = text.split('\n');
  const n = lines.findIndex((l) => l.includes(line));
  return `${n + 1}:${lines[n]!.indexOf(token) + 1}`;
}

/** Writes the race, edited, as `file`; returns its path and text. */
function scenario(file: string, edit: (s: string) => string = (s) => s): string {
  const path = join(dir, file);
  writeFileSync(path, edit(RACE));
  return path;
}
const text = (path: string): string => readFileSync(path, 'utf8');

/** `foliorace ...args` run in the scenarios' directory, as a user there would (helpers/in-process.ts). */
const cli = (...args: string[]): Promise<Printed> => command(args, { cwd: dir });

const PCT = ['--mode', 'pct', '--seed', '3', '--iterations', '50'];
const throwIn = (where: string, stmt: string) => (s: string): string => s.replace(where, `${where}\n    ${stmt}`);

// several CLI runs per test: more time than the suite's default on a loaded machine
describe('a scenario written outside the repository', { timeout: 300_000 }, () => {
  it("imports 'foliorace' and runs (.js without an install next to it)", async () => {
    const r = await cli('run', scenario('race.mjs'), ...PCT, '--no-out');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/active\s+acceptable\s+50\s+100\.0%/);
  });

  it('a .ts scenario is type-checked first: file:line:col and exit 2; --no-typecheck runs it', async () => {
    const file = scenario('typo.ts', (s) => s.replace('kernel.folio_activate(cpu, vars.get(0))', "kernel.folio_activate(cpu, 'f0')"));
    const r = await cli('run', file, ...PCT, '--no-out');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`foliorace: scenario error: typo.ts does not type-check (--no-typecheck runs it anyway):\ntypo.ts:${at(text(file), "'f0'")} Argument of type 'string' is not assignable to parameter of type 'number'`);
    const run = await cli('run', file, ...PCT, '--no-out', '--no-typecheck');
    expect(run.code).toBe(2); // …and then the argument check stops it, naming function and argument
    expect(run.stderr).toContain(`foliorace: scenario error: typo.ts:${at(text(file), "'f0'", 'folio_activate')}: kernel.folio_activate`);
    expect(run.stderr).toMatch(/kernel\.folio_activate\(cpu, folio\): argument 2 \(folio\) must be a folio index from 0 to 15 .*got "f0"\n {2}in actor\(\) on CPU\d, iteration 0/);
  });

  it('a .ts scenario reading process.env and Buffer type-checks against Node\'s globals (no @types/node beside it) and runs', async () => {
    const file = scenario('node-globals.ts', (s) => s.replace("summary: 'two CPUs activate the same folio',",
      "summary: Buffer.from(process.env['RACE_SUMMARY'] ?? 'two CPUs activate the same folio').toString('utf8'),"));
    expect(text(file)).toContain("process.env['RACE_SUMMARY']");
    expect(existsSync(join(dir, 'node_modules'))).toBe(false);
    const r = await runScenario({ scenario: file, kernel: '6.11', mode: 'pct', seed: '3', iterations: 50, out: null });
    expect([r.scenario, r.iterations, r.forbidden]).toEqual(['tiny-activate-race', 50, 0]);
  });
});

describe('errors in scenario code are the user\'s (exit 2), at the user\'s line', { timeout: 300_000 }, () => {
  it('a throw in actor(): message, file:line (source-mapped .ts), CPU, iteration, seed; the failure file replays to it', async () => {
    const file = scenario('boom.ts', throwIn('kernel.folio_activate(cpu, vars.get(0));', "if (cpu.id === 1) throw new Error('boom');"));
    const out = join(dir, 'failures');
    const r = await cli('run', file, ...PCT, '--out', out, '--no-typecheck');
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe(`foliorace: scenario error: boom.ts:${at(text(file), "throw new Error('boom')", 'new')}: boom`);
    expect(lines[1]).toBe('  in actor() on CPU1, iteration 0 · kernel 7.3 · mode pct · seed 3');
    const replay = /replay: npx foliorace replay (\S+) \(verified: it throws again\)/.exec(lines[2]!);
    expect(replay).not.toBeNull();
    expect(existsSync(replay![1]!)).toBe(true);
    const again = await cli('replay', replay![1]!);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^foliorace: scenario error: boom\.ts:\d+:\d+: boom\n.*CPU1.* · mode pct · seed 3\n {2}replayed from .*: it throws again/);
    expect(again.stderr.split('\n')[0]).toBe(lines[0]);
    expect(r.stderr + again.stderr).not.toMatch(/\n\s+at /);
  });

  it('a thrown string names the CPU', async () => {
    const r = await cli('run', scenario('str.mjs', throwIn('kernel.folio_activate(cpu, vars.get(0));', "if (cpu.id === 1) throw 'boom';")), ...PCT, '--no-out');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^foliorace: scenario error: str\.mjs: CPU1: threw "boom" \(not an Error, so no stack\)\n {2}in actor\(\) on CPU1, iteration 0 · .* seed 3/);
  });

  it('a throw in setup() and in check()', async () => {
    const setupFile = scenario('setup.mjs', throwIn('vars.set(0, f);', "throw new RangeError('no memory');"));
    const setup = await cli('run', setupFile, ...PCT, '--no-out');
    expect(setup.code).toBe(2);
    expect(setup.stderr).toMatch(new RegExp(`^foliorace: scenario error: setup\\.mjs:${at(text(setupFile), 'RangeError', 'new')}: RangeError: no memory\n {2}in setup\\(\\) on CPU0, before iteration 0`));
    const checkFile = scenario('check.mjs', throwIn('check(cpu, vars) {', "throw new Error('cannot tell');"));
    const check = await cli('run', checkFile, ...PCT, '--no-out');
    expect(check.code).toBe(2);
    expect(check.stderr).toMatch(new RegExp(`^foliorace: scenario error: check\\.mjs:${at(text(checkFile), 'cannot tell', 'new')}: cannot tell\n {2}in check\\(\\) on CPU0, iteration 0`));
  });

  it('a syntax error is a syntax error at its line (.ts with and without the type check, and .js)', async () => {
    const broken = (s: string): string => s.replace("name: 'tiny-activate-race',", "name: 'tiny-activate-race',,");
    const file = scenario('syntax.ts', broken);
    const where = at(text(file), ',,', ',,') .replace(/\d+$/, (c) => String(Number(c) + 1)); // the second comma
    const ts = await cli('run', file, ...PCT);
    expect(ts.code).toBe(2);
    expect(ts.stderr).toContain(`syntax.ts:${where} syntax error: Property assignment expected`);
    const untyped = await cli('run', file, ...PCT, '--no-typecheck');
    // unchecked, the file is only bundled (esbuild): its parser's words, at the same place
    expect(untyped.stderr).toBe(`foliorace: scenario error: syntax error: syntax.ts:${where}: Expected identifier but found ","\n`);
    const js = await cli('run', scenario('syntax.mjs', broken), ...PCT);
    expect(js.code).toBe(2);
    expect(js.stderr).toBe(`foliorace: scenario error: syntax error: syntax.mjs:${where}: Expected identifier but found ","\n`);
  });

  it('an undeclared outcome is counted under its own name as unknown, exit 1, saying which and from where', async () => {
    const file = scenario('unknown.mjs', throwIn('check(cpu, vars) {', "if (cpu.ncpus === 2) return 'half-active';"));
    const r = await cli('run', file, ...PCT, '--no-out');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/half-active\s+UNKNOWN\s+50\s+100\.0%/);
    expect(r.stdout).toMatch(/UNKNOWN "half-active": check\(\) of tiny-activate-race returned it 50 times; its outcomes declare only active, inactive/);
    const json = JSON.parse((await cli('run', file, ...PCT, '--no-out', '--json')).stdout) as { unknown: number; outcomes: { name: string; kind: string }[] };
    expect(json.unknown).toBe(50);
    expect(json.outcomes).toContainEqual({ name: 'half-active', kind: 'unknown', count: 50 });
  });

  it('a kernel function given a bad mm or address says which argument of which function', async () => {
    const file = scenario('badmm.mjs', (s) => s.replace('kernel.do_anonymous_page(cpu, 0, 0,', 'kernel.do_anonymous_page(cpu, 0, 99,'));
    const r = await cli('run', file, ...PCT, '--no-out');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`foliorace: scenario error: badmm.mjs:${at(text(file), '99', 'do_anonymous_page')}: kernel.do_anonymous_page`);
    expect(r.stderr).toMatch(/kernel\.do_anonymous_page\(cpu, mm, addr, zone, data\): argument 3 \(addr\) must be an address \(PTE index\) from 0 to 15 \(the scenario's machine\.ptesPerMm is 16\), got 99\n {2}in setup\(\)/);
  });
});
