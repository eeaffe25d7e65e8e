// What `npm pack` ships: a license, the docs with links that resolve inside the package, source maps
// whose sources are shipped, a declared Node version foliorace's own code can run on.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const packed = (JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' })) as
  { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
const shipped = new Set(packed);

describe('the npm package', () => {
  it('ships a LICENSE, the README and every doc', () => {
    expect(packed).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'docs/cli.md', 'docs/scenarios.md', 'docs/api.md']));
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { license: string; engines: { node: string } };
    expect(pkg.license).toBe('MIT');
    // module.register() (the scenario loader's hooks) came in Node 20.6
    expect(pkg.engines.node).toBe('>=20.6.0');
  });

  it('every relative link of a shipped document resolves to a shipped file; none points outside the repository', () => {
    for (const doc of packed.filter((p) => p.endsWith('.md'))) {
      const text = readFileSync(join(ROOT, doc), 'utf8');
      expect(text, doc).not.toMatch(/\.\.\/shared\//);
      for (const m of text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
        const target = m[1]!;
        if (/^[a-z]+:/.test(target)) continue;
        expect(shipped.has(normalize(join(dirname(doc), target))), `${doc} → ${target}`).toBe(true);
      }
    }
  });

  it('every source map of the shipped code points at shipped sources', () => {
    const maps = packed.filter((p) => p.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(50);
    for (const map of maps) {
      for (const src of (JSON.parse(readFileSync(join(ROOT, map), 'utf8')) as { sources: string[] }).sources) {
        expect(shipped.has(normalize(join(dirname(map), src))), `${map} → ${src}`).toBe(true);
      }
    }
  });
});
