// Output paths are checked before any work starts: a run of an hour must not end by failing to
// write its result. Each check says which flag, the path, and what is wrong, as a UsageError.
import { accessSync, constants, realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { RunOptions } from '../host/options.js';

/** Kernel pseudo-filesystems: writes there are commands to the kernel, or block (a run once hung on --out /proc/...). */
const PSEUDO = ['/proc', '/sys'];

/** `--out`, `--trace` of run and compare (an explicit `--out` only: the default falls back to stderr). */
export function checkRunOutputs(o: RunOptions): void {
  if (typeof o.out === 'string') checkOutputDir(o.out, '--out');
  if (o.trace !== undefined) checkOutputFile(o.trace, '--trace');
}

/** A directory foliorace may create files in: it exists and is writable, or can be created. */
export function checkOutputDir(dir: string, flag: string): void {
  const abs = resolve(dir);
  const st = statOf(abs);
  if (st) {
    if (!st.isDirectory()) throw new UsageError(`${flag}: ${dir} exists and is not a directory`);
    checkPlace(abs, abs, flag, dir);
    return;
  }
  const ancestor = existingAncestor(abs);
  if (!statOf(ancestor)?.isDirectory()) throw new UsageError(`${flag}: cannot create ${dir}: ${ancestor} is not a directory`);
  checkPlace(ancestor, ancestor, flag, dir);
}

/** A file foliorace may write (create or replace): its directory exists and is writable. */
export function checkOutputFile(file: string, flag: string): void {
  const abs = resolve(file);
  const st = statOf(abs);
  if (st?.isDirectory()) throw new UsageError(`${flag}: ${file} is a directory; give a file name`);
  const dir = dirname(abs);
  if (!statOf(dir)?.isDirectory()) throw new UsageError(`${flag}: cannot write ${file}: directory ${dirname(file)} does not exist`);
  checkPlace(dir, st ? abs : dir, flag, file);
}

/** Not on a pseudo-filesystem, and `writable` may be written. */
function checkPlace(dir: string, writable: string, flag: string, given: string): void {
  const real = realpathSync(dir);
  if (PSEUDO.some((p) => real === p || real.startsWith(`${p}/`))) {
    throw new UsageError(`${flag}: ${given} is on a kernel pseudo-filesystem (${real}); give a path on a real file system`);
  }
  try {
    accessSync(writable, constants.W_OK);
  } catch {
    throw new UsageError(`${flag}: cannot write ${given}: permission denied`);
  }
}

function existingAncestor(abs: string): string {
  let p = abs;
  while (!statOf(p) && dirname(p) !== p) p = dirname(p);
  return p;
}

function statOf(p: string): Stats | null {
  try {
    return statSync(p);
  } catch {
    return null;
  }
}
