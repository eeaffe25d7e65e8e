// The foliorace version, read once from the package's own package.json.
import { existsSync, readFileSync } from 'node:fs';
import { MODEL_SOURCES_HASH } from './model-hash.js';
import { hashSeed } from './sched/prng.js';

function readVersion(): string {
  // src/version.ts, dist/src/version.js, or a worker bundle in dist/src/*/: the first package.json
  // named foliorace on the way up
  for (let up = '../'; up.length <= 5 * 3; up += '../') {
    const url = new URL(`${up}package.json`, import.meta.url);
    if (!existsSync(url)) continue;
    const pkg = JSON.parse(readFileSync(url, 'utf8')) as { name?: string; version: string };
    if (pkg.name === 'foliorace') return pkg.version;
  }
  throw new Error('foliorace: its package.json is not beside its sources');
}

/** The version of this foliorace, as package.json states it. */
export const FOLIORACE_VERSION: string = readVersion();

/**
 * Fingerprint of the model's sources (kernel model, machine, schedulers, scenarios, the runner's
 * CPU context and iteration protocol), computed at build time by scripts/model-hash.mjs. A schedule
 * recorded under one fingerprint is only promised to replay under the same one.
 */
export const MODEL_FINGERPRINT: string = MODEL_SOURCES_HASH;

/**
 * The fingerprint of the model under one profile: the sources' hash and a hash of its switches and
 * of the patch file applied on top of it (its content hash; null: none).
 */
export function profileFingerprint(patches: Readonly<Record<string, boolean>>, patchHash: string | null = null): string {
  const text = Object.keys(patches).sort().map((k) => `${k}=${patches[k] ? 1 : 0}`).join(',') + (patchHash === null ? '' : `,file=${patchHash}`);
  return `${MODEL_FINGERPRINT}-${(hashSeed(text) >>> 0).toString(16).padStart(8, '0')}`;
}
