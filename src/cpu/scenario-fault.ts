// An exception in a scenario's own code (setup, actor, check), or a kernel function the scenario
// called with a bad argument: the user's error, reported at the user's line (exit 2). Anything
// else thrown inside foliorace's own code is a bug of foliorace or its model (exit 3).
import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export type ScenarioPhase = 'setup' | 'actor' | 'check';

/** What a CPU worker reports of a scenario fault (crosses the control plane as plain data). */
export interface ScenarioFault {
  phase: ScenarioPhase;
  cpu: number;
  /** The iteration it happened in (setup: the first iteration). */
  iteration: number;
  /** The user's `file:line:col`, source-mapped for .ts (null: a thrown non-Error has no stack). */
  where: string | null;
  message: string;
}

/**
 * foliorace's own code (built-in scenarios included): dist/src and dist/workers of this package,
 * and src/ and workers/, where source maps point frames of the built code (the worker bundle's too).
 */
const OWN = ['../', '../../workers/', '../../../src/', '../../../workers/'].map((d) => fileURLToPath(new URL(d, import.meta.url)));
const own = (file: string): boolean => OWN.some((d) => file.startsWith(d)) || file.startsWith('node:');

/** Files and positions of a stack, innermost first. */
function frames(stack: string): { file: string; at: string }[] {
  const out: { file: string; at: string }[] = [];
  for (const m of stack.matchAll(/^\s+at (?:.*? \()?((?:file:\/\/)?[^()\s]+?):(\d+):(\d+)\)?$/gm)) {
    const file = m[1]!.startsWith('file://') ? fileURLToPath(m[1]!) : m[1]!;
    out.push({ file, at: `${file}:${m[2]}:${m[3]}` });
  }
  return out;
}

/**
 * Whether `e`, thrown while `phase` ran, is the user's fault, and if so where and what. A non-Error
 * value can only come from the user's code; an Error is the user's when it was thrown outside
 * foliorace's code, or by a kernel function's argument check.
 */
export function userFault(e: unknown): { where: string | null; message: string } | null {
  if (!(e instanceof Error)) return { where: null, message: `threw ${typeof e === 'string' ? JSON.stringify(e) : String(e)} (not an Error, so no stack)` };
  const fs = frames(e.stack ?? '');
  const first = fs[0];
  const user = fs.find((f) => !own(f.file));
  // by name: a scenario's 'foliorace' may be another copy of this module than the worker bundle's
  if (e.name === 'KernelArgumentError') return { where: user?.at ?? null, message: e.message };
  if (!first || own(first.file)) return null;
  return { where: first.at, message: `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` };
}

/** A path as the user would type it: relative to the working directory when under it. */
export function shown(path: string): string {
  const r = relative(process.cwd(), path);
  return r !== '' && !r.startsWith('..') && !isAbsolute(r) ? r : path;
}

/** `file:line:col` with the file as the user would type it (shown()). */
export function shownAt(where: string): string {
  const m = /^(.*)(:\d+:\d+)$/.exec(where);
  return m ? `${shown(m[1]!)}${m[2]}` : where;
}
