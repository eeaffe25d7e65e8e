// The built-in scenarios use only what a user has: every file under src/scenarios/ imports the
// package's public entry point (src/index.ts) or other files under src/scenarios/, nothing else.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../../src/', import.meta.url).pathname;
const SCENARIOS = join(SRC, 'scenarios');
const ENTRY = join(SRC, 'index.ts');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
}

/** Every module specifier a file imports or re-exports, static or dynamic. */
function specifiers(text: string): string[] {
  const found = [...text.matchAll(/^(?:import|export)[^'"]*?from\s+'([^']+)'/gm), ...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g),
    ...text.matchAll(/^import\s+'([^']+)'/gm)];
  return found.map((m) => m[1]!);
}

/** Where a specifier of `file` leads, or null when it is not a relative path (a package). */
function target(file: string, spec: string): string | null {
  return spec.startsWith('.') ? resolve(dirname(file), spec.replace(/\.js$/, '.ts')) : null;
}

/** The imports of `file` that break the rule. */
function offending(file: string, text: string): string[] {
  return specifiers(text).filter((spec) => {
    const to = target(file, spec);
    return to === null || (to !== ENTRY && !to.startsWith(`${SCENARIOS}/`));
  });
}

describe('src/scenarios/ imports only the public entry point', () => {
  it('every built-in scenario file and helper imports src/index.ts or its siblings only', () => {
    const scenarioFiles = files(SCENARIOS);
    expect(scenarioFiles.length).toBeGreaterThan(5);
    for (const f of scenarioFiles) expect(offending(f, readFileSync(f, 'utf8')), relative(SRC, f)).toEqual([]);
  });

  it('the check catches an internal import, a package import and a dynamic import', () => {
    const f = join(SCENARIOS, 'example.ts');
    expect(offending(f, "import { S } from '../kernel/sites.js';")).toEqual(['../kernel/sites.js']);
    expect(offending(f, "import type {\n  Cpu,\n} from '../kernel/cpu.js';")).toEqual(['../kernel/cpu.js']);
    expect(offending(f, "import { x } from 'node:fs';")).toEqual(['node:fs']);
    expect(offending(f, "const m = await import('../runner/api.js');")).toEqual(['../runner/api.js']);
    expect(offending(f, "import { kernel } from '../index.js';\nimport { swapOut } from './kit.js';")).toEqual([]);
    expect(offending(join(SCENARIOS, 'selftests', 'cow.ts'), "import { kernel } from '../../index.js';")).toEqual([]);
  });
});
