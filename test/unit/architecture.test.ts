// The dependency rules of the tree (STYLE.md A1), checked on the import lines of every file.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../../src/', import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
}

function importsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map((m) => m[1]!);
}

const all = files(SRC).map((f) => ({ file: relative(SRC, f), imports: importsOf(f), text: readFileSync(f, 'utf8') }));
const under = (dir: string): typeof all => all.filter((f) => f.file.startsWith(`${dir}/`));

describe('architecture rules', () => {
  it('kernel/ imports only kernel/ and shm/ (and nothing from the runner, schedulers or reports)', () => {
    for (const f of under('kernel')) for (const i of f.imports) expect(i, f.file).toMatch(/^\.\/|^\.\.\/shm\//);
  });

  it('sched/ never imports kernel/', () => {
    for (const f of under('sched')) for (const i of f.imports) expect(i, f.file).not.toMatch(/kernel\//);
  });

  it('report/ never calls Atomics on the machine directly', () => {
    for (const f of under('report')) expect(f.text, f.file).not.toMatch(/Atomics\./);
  });

  it('only cli/ calls process.exit', () => {
    for (const f of all.filter((x) => !x.file.startsWith('cli/'))) expect(f.text, f.file).not.toMatch(/process\.exit\(/);
  });

  it('nothing in src/ uses Math.random (schedules must replay)', () => {
    for (const f of all) expect(f.text, f.file).not.toMatch(/Math\.random/);
  });
});
