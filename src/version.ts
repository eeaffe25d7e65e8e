// The foliorace version, read once from the package's own package.json: ../../ from dist/src/version.js,
// ../ from src/version.ts (tests run the sources).
import { existsSync, readFileSync } from 'node:fs';

function readVersion(): string {
  const built = new URL('../../package.json', import.meta.url);
  const url = existsSync(built) ? built : new URL('../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

/** The version of this foliorace, as package.json states it. */
export const FOLIORACE_VERSION: string = readVersion();
