// Finding the TypeScript compiler for a .ts scenario: the one installed next to the scenario (its
// project's), else the one installed with foliorace. foliorace does not depend on it.
import { createRequire } from 'node:module';

export type TypeScript = typeof import('typescript');

export const NEEDS_TYPESCRIPT = 'type-checking a .ts scenario needs the "typescript" package: install it next to the ' +
  'scenario (npm install --save-dev typescript), or run it unchecked with --no-typecheck';

/**
 * The compiler visible from `scenarioPath`'s directory, else from foliorace's own; null if neither has one.
 * Loaded with require, as the CommonJS module it is: an `import()` of it first scans its 9 MB for
 * named exports (cjs-module-lexer), 0.6 s of each check's 2.6 (bench/README.md, "The suite, third sitting").
 */
export function loadTypeScript(scenarioPath: string): TypeScript | null {
  for (const from of [scenarioPath, import.meta.url]) {
    const require = createRequire(from);
    let resolved: string;
    try {
      resolved = require.resolve('typescript');
    } catch {
      continue;
    }
    return require(resolved) as TypeScript;
  }
  return null;
}
