// The foliorace version, read once from the package's own package.json (dist/src/version.js → ../../).
import { readFileSync } from 'node:fs';
import { MODEL_SOURCES_HASH } from './model-hash.js';
import { hashSeed } from './sched/prng.js';

function readVersion(): string {
  const url = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

/** The version of this foliorace, as package.json states it. */
export const FOLIORACE_VERSION: string = readVersion();

/**
 * Fingerprint of the model's sources (kernel model, machine, schedulers, scenarios, the runner's
 * CPU context and iteration protocol), computed at build time by scripts/model-hash.mjs. A schedule
 * recorded under one fingerprint is only promised to replay under the same one.
 */
export const MODEL_FINGERPRINT: string = MODEL_SOURCES_HASH;

/** The fingerprint of the model under one profile: the sources' hash and a hash of its switches. */
export function profileFingerprint(patches: Readonly<Record<string, boolean>>): string {
  const text = Object.keys(patches).sort().map((k) => `${k}=${patches[k] ? 1 : 0}`).join(',');
  return `${MODEL_FINGERPRINT}-${(hashSeed(text) >>> 0).toString(16).padStart(8, '0')}`;
}
