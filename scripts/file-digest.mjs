// Repository files listed and hashed, for the build's fingerprints: the model's sources
// (model-hash.mjs) and the build's inputs and outputs (build-stamp.mjs).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = new URL('..', import.meta.url).pathname;

/** Every file under `dir` (repository-relative; none if it does not exist) whose path `keep` accepts, recursively, sorted. */
export function filesUnder(dir, keep = () => true) {
  const walk = (d) => readdirSync(join(root, d), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(`${d}/${e.name}`) : keep(`${d}/${e.name}`) ? [`${d}/${e.name}`] : []));
  return existsSync(join(root, dir)) ? walk(dir).sort() : [];
}

/** sha256 (hex) of each file's path and content in turn; a missing file counts as "(missing)". */
export function digestFiles(files) {
  const h = createHash('sha256');
  for (const f of files) h.update(`${f}\0`).update(existsSync(join(root, f)) ? readFileSync(join(root, f)) : '(missing)').update('\0');
  return h.digest('hex');
}
