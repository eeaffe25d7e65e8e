// A patch file has the contract of a scenario file: loaded from anywhere, type-checked, every error
// the user's own at its file:line with exit 2 ("patch error"), and a patch that hangs or throws never
// hangs foliorace. Every case runs the built command in the directory of a patch written outside the
// repository. The first checks that a .ts patch is type-checked; the cases whose errors come later,
// when the patch is validated, loaded or run, pass --no-typecheck.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { command, type Printed } from './helpers/in-process.js';

const dir = mkdtempSync(join(tmpdir(), 'foliorace-patch-'));

/** Writes a patch file whose declaration's fields are `body`; returns its path. */
function patch(file: string, body: string, head = ''): string {
  const path = join(dir, file);
  writeFileSync(path, `import { definePatch, kernel } from 'foliorace';\n${head}export default definePatch({\n  name: 'p', title: 't',\n${body}\n});\n`);
  return path;
}

const UNCHECKED = '--no-typecheck';

/** A short pct run of a built-in race with `patchFile`, in the patches' directory (helpers/in-process.ts). */
function run(patchFile: string, ...more: string[]): Promise<Printed> {
  return command(['run', 'gup-longterm-vs-activate', '--kernel', '6.10', '--patch', patchFile, '--mode', 'pct',
    '--seed', '1', '--iterations', '50', '--no-out', ...more], { cwd: dir });
}

describe('patch files that are wrong, each a patch error at its line (exit 2)', () => {
  it('a type error, at its file:line:col', async () => {
    const p = patch('types.ts', "  replace: { folio_activate: (cpu, folio) => 'yes' },");
    const r = await run(p);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^foliorace: patch error: types\.ts does not type-check \(--no-typecheck runs it anyway\):\ntypes\.ts:4:\d+ Type .*'string' is not assignable to type 'boolean'/);
  });

  it('a function the model does not have, with the nearest it has', async () => {
    const r = await run(patch('name.ts', '  replace: { folio_activat: () => true },'), '--no-typecheck');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^foliorace: patch error: name\.ts: replace key "folio_activat" must be a patchable function \(such as folio_activate, /);
  });

  it('a declaration without a function, a bad name, a function replaced and wrapped at once', async () => {
    expect((await run(patch('none.ts', '  replace: {},'), UNCHECKED)).stderr).toMatch(/patch error: none\.ts: replace\/wrap must be at least one function/);
    const both = await run(patch('both.ts', '  replace: { folio_activate: () => true },\n  wrap: { folio_activate: (o) => o },'), UNCHECKED);
    expect(both.stderr).toMatch(/patch error: both\.ts: wrap\.folio_activate must be absent: folio_activate is replaced already/);
    const named = patch('bad-name.ts', '  replace: { folio_activate: () => true },');
    writeFileSync(named, readFileSync(named, 'utf8').replace("name: 'p'", "name: 'My Fix'"));
    expect((await run(named, UNCHECKED)).stderr).toMatch(/patch error: bad-name\.ts: name must be 1 to 64 lower-case letters, digits or -, .* \(got "My Fix"\)/);
  });

  it('a file that is not a patch (a scenario), a missing file, two patch files', async () => {
    const scenario = new URL('./fixtures/tiny-scenario.ts', import.meta.url).pathname;
    expect((await run(scenario, UNCHECKED)).stderr).toMatch(/is not a patch: its default export must be definePatch\(\{ name, title, replace, wrap \}\)/);
    expect((await run(join(dir, 'missing.ts'))).stderr).toMatch(/^foliorace: patch file not found: .*missing\.ts\n$/);
    const two = await run(patch('a.ts', '  replace: { folio_activate: () => true },'), '--patch', patch('b.ts', '  replace: { folio_activate: () => true },'),
      UNCHECKED);
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/--patch takes one patch file per run/);
  });

  it('a replacement that throws: the user\'s line, the CPU, the iteration', async () => {
    const p = patch('throws.ts', '  replace: {\n    folio_activate(cpu) {\n      throw new Error(`no activation on CPU${cpu.id}`);\n    },\n  },');
    const r = await run(p, UNCHECKED);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^foliorace: patch error: throws\.ts:6:13: no activation on CPU1\n {2}in actor\(\) on CPU1, iteration 0 · kernel 6\.10 · mode pct · seed 1/);
  });

  it('a wrapper that throws when the run builds its table, and a top level that throws', async () => {
    const wrap = await run(patch('wrap-throws.ts', "  wrap: {\n    folio_activate: () => {\n      throw new Error('not today');\n    },\n  },"), UNCHECKED);
    expect(wrap.code).toBe(2);
    expect(wrap.stderr).toMatch(/^foliorace: patch error: wrap-throws\.ts:6:13: not today\n$/);
    const top = await run(patch('top.ts', '  replace: { folio_activate: () => true },', "throw new Error('at load');\n"), UNCHECKED);
    expect(top.code).toBe(2);
    expect(top.stderr).toMatch(/^foliorace: patch error: top\.ts does not load: top\.ts:2:7: at load/);
  });

  it('hangs never hang foliorace: a wrapper that loops, a replacement that loops without a preemption point', async () => {
    const t0 = performance.now();
    const wrap = await run(patch('wrap-loops.ts', '  wrap: { folio_activate: (o) => { for (;;) { /* */ } } },'), '--watchdog', '500ms', UNCHECKED);
    expect(wrap.code).toBe(2);
    expect(wrap.stderr).toMatch(/^foliorace: patch error: wrap-loops\.ts did not finish loading within 500 ms \(a top level or wrapper that loops/);
    const spin = await run(patch('spins.ts', '  replace: { folio_activate: () => { for (;;) { /* */ } } },'), '--watchdog', '500ms', UNCHECKED);
    expect(spin.code).toBe(2);
    expect(spin.stderr).toMatch(/CPU1 stopped reaching preemption points/);
    expect(performance.now() - t0).toBeLessThan(100_000);
  }, 120_000);
});
