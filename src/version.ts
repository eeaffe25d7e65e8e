// The foliorace version, read once from the package's own package.json (dist/src/version.js → ../../).
import { readFileSync } from 'node:fs';

function readVersion(): string {
  const url = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

/** The version of this foliorace, as package.json states it. */
export const FOLIORACE_VERSION: string = readVersion();
