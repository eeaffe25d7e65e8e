// Finding the TypeScript compiler for a .ts scenario: the one installed next to the scenario (its
// project's), else the one installed with foliorace. foliorace does not depend on it.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

export type TypeScript = typeof import('typescript');

export const NEEDS_TYPESCRIPT = 'type-checking a .ts scenario needs the "typescript" package: install it next to the ' +
  'scenario (npm install --save-dev typescript), or run it unchecked with --no-typecheck';

/** The compiler visible from `scenarioPath`'s directory, else from foliorace's own; null if neither has one. */
export async function loadTypeScript(scenarioPath: string): Promise<TypeScript | null> {
  for (const from of [scenarioPath, import.meta.url]) {
    let resolved: string;
    try {
      resolved = createRequire(from).resolve('typescript');
    } catch {
      continue;
    }
    const mod = (await import(pathToFileURL(resolved).href)) as { default?: TypeScript } & TypeScript;
    return mod.default ?? mod;
  }
  return null;
}
