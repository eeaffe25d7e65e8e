// `foliorace init` scaffolds a project whose test passes. In the suite: the files, the dependency
// spec, and the scaffolded race and test run against this build. With FOLIORACE_E2E=1, also the
// whole user path: npm pack, init --from the tarball in an empty directory, npm install, npm test.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectScenario } from '../dist/src/index.js';
import { command, type Printed } from './helpers/in-process.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** `foliorace ...args` run in `cwd` (helpers/in-process.ts). */
const cli = (cwd: string, ...args: string[]): Promise<Printed> => command(args, { cwd });

describe('foliorace init', () => {
  it('writes package.json, tsconfig, an example race and its test; refuses to overwrite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'foliorace-init-'));
    const r = await cli(dir, 'init', 'myrace', '--from', '0.1.0');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^created package\.json, tsconfig\.json, race\.ts, race\.test\.ts, fix\.ts, fix\.test\.ts, README\.md, \.gitignore in /);
    const pkg = JSON.parse(readFileSync(join(dir, 'myrace/package.json'), 'utf8')) as { name: string; type: string; scripts: Record<string, string>; devDependencies: Record<string, string> };
    expect(pkg).toMatchObject({ name: 'myrace', type: 'module', scripts: { test: 'vitest run' } });
    expect(Object.keys(pkg.devDependencies).sort()).toEqual(['foliorace', 'typescript', 'vitest']);
    expect(pkg.devDependencies['foliorace']).toBe('0.1.0');
    expect(readFileSync(join(dir, 'myrace/race.ts'), 'utf8')).toMatch(/ {3}1\. follow_page_pte\(FOLL_TOUCH\)/);
    expect(readFileSync(join(dir, 'myrace/race.test.ts'), 'utf8')).toMatch(/expectScenario\(new URL\('\.\/race\.ts', import\.meta\.url\), \{ '6\.10': 'found', '6\.11': 'never' \}\)/);
    expect(readFileSync(join(dir, 'myrace/fix.ts'), 'utf8')).toMatch(/export default definePatch\(\{\n  name: 'activate-clears-lru',/);
    expect(readFileSync(join(dir, 'myrace/fix.test.ts'), 'utf8')).toMatch(/\{ '6\.10': 'found', '6\.10\+\.\/fix\.ts': 'never' \}/);
    const again = await cli(dir, 'init', 'myrace');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already has package\.json, tsconfig\.json, race\.ts/);
    // a path or tarball given to --from becomes a file: dependency; from this clone, the clone
    expect((await cli(dir, 'init', 'fromclone')).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'fromclone/package.json'), 'utf8')).devDependencies.foliorace).toBe(`file:${ROOT.replace(/\/$/, '')}`);
  });

  it('the scaffolded fix type-checks and closes the race: found under 6.10, never under 6.10+./fix.ts (fix.test.ts), also after an edit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'foliorace-init-'));
    expect((await cli(dir, 'init')).code).toBe(0);
    const run = await cli(dir, 'run', 'race.ts', '--kernel', '6.10', '--patch', './fix.ts', '--mode', 'pct', '--seed', '1', '--iterations', '300', '--no-out');
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^my-race · kernel 6\.10\+activate-clears-lru · mode pct/);
    expect(run.code).toBe(0);
    // fix.test.ts's call, as the scaffold's vitest makes it (foliorace external: vitest.config.ts);
    // then again after an edit that undoes the fix
    const race = join(dir, 'race.ts');
    const before = await expectScenario(race, { '6.10': 'found', '6.10+./fix.ts': 'never' }, { pctIterations: 300, freeMs: 0 });
    expect(before.map((r) => [r.kernel, r.found > 0])).toEqual([['6.10', true], ['6.10+./fix.ts', false]]);
    const fix = readFileSync(join(dir, 'fix.ts'), 'utf8');
    // the fix undone: PG_lru tested, not won, at enqueue, and the drain tests it again (6.10)
    writeFileSync(join(dir, 'fix.ts'), fix.replace('folio_test_clear(cpu, folio, Pg.lru)', 'folio_test(cpu, folio, Pg.lru)')
      .replace('batch === Batch.lru_activate || original', 'original'));
    await expect(expectScenario(race, { '6.10': 'found', '6.10+./fix.ts': 'never' }, { pctIterations: 300, freeMs: 0 }))
      .rejects.toThrow(/not as expected under 6\.10\+\.\/fix\.ts/);
  }, 120_000);

  it('the scaffolded race type-checks, runs with npx foliorace run, and meets its expectations (expectScenario)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'foliorace-init-'));
    expect((await cli(dir, 'init')).code).toBe(0);
    const run = await cli(dir, 'run', 'race.ts', '--kernel', '6.10', '--mode', 'pct', '--seed', '1', '--iterations', '200', '--no-out');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/FORBIDDEN pin-failed in iteration \d+/);
    // as the scaffold's vitest calls it (foliorace external: vitest.config.ts); free mode is left to
    // the E2E run, to keep the suite short
    const race = join(dir, 'race.ts');
    const ok = await expectScenario(race, { '6.10': 'found', '6.11': 'never' }, { pctIterations: 200, freeMs: 0 });
    await expect(expectScenario(race, { '6.11': 'found' }, { pctIterations: 100, freeMs: 0 })).rejects.toThrow(/not as expected under 6\.11/);
    expect(ok.map((x) => `${x.kernel} ${x.mode}`)).toEqual(['6.10 pct', '6.11 pct']); // free mode: in the E2E run
    expect(ok.filter((x) => x.kernel === '6.11').every((x) => x.found === 0)).toBe(true);
  }, 120_000);

  it.runIf(process.env['FOLIORACE_E2E'] === '1')('from an empty directory: npm pack, init --from the tarball, npm install, npm test', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'foliorace-e2e-'));
    const tgz = execFileSync('npm', ['pack', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').at(-1)!;
    expect((await cli(dir, 'init', 'myrace', '--from', join(dir, tgz))).code).toBe(0);
    execFileSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: join(dir, 'myrace'), stdio: 'inherit' });
    expect(existsSync(join(dir, 'myrace/node_modules/foliorace/dist/src/index.js'))).toBe(true);
    execFileSync('npm', ['test'], { cwd: join(dir, 'myrace'), stdio: 'inherit' });
  }, 600_000);
});
