// The foliorace version, read once from the package's own package.json: ../../ from dist/src/version.js,
// ../ from src/version.ts (tests run the sources).
import { existsSync, readFileSync } from 'node:fs';

function readVersion(): string {
  for (const rel of ['../../package.json', '../package.json']) {
    const url = new URL(rel, import.meta.url);
    if (!existsSync(url)) continue;
    const pkg = JSON.parse(readFileSync(url, 'utf8')) as { name?: string; version: string };
    if (pkg.name === 'foliorace') return pkg.version;
  }
  throw new Error('foliorace: its package.json is not beside its sources');
}

/** The version of this foliorace, as package.json states it. */
export const FOLIORACE_VERSION: string = readVersion();
