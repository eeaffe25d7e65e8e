// An exception in a scenario's own code (setup, actor, check), or a kernel function the scenario
// called with a bad argument: the user's error, reported at the user's line (exit 2). Anything
// else thrown inside foliorace's own code is a bug of foliorace or its model (exit 3).
import { findSourceMap } from 'node:module';
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

/** Files and positions of a stack, innermost first, at the user's source (at()). */
function frames(stack: string): { file: string; at: string }[] {
  const out: { file: string; at: string }[] = [];
  for (const m of stack.matchAll(/^\s+at (?:.*? \()?((?:file:\/\/)?[^()\s]+?):(\d+):(\d+)\)?$/gm)) {
    const { file, line, col } = at(m[1]!, Number(m[2]), Number(m[3]));
    out.push({ file, at: `${file}:${line}:${col}` });
  }
  return out;
}

/**
 * A frame's position in the source its module's map points to. Where the host maps stack traces
 * (a foliorace process: process.setSourceMapsEnabled) the frame is there already; where it does not
 * (a test runner's own Error.prepareStackTrace, as vitest's, in which a user's test runs a scenario)
 * a frame in a scenario's bundle is mapped here, by the map Node keeps of the bundle.
 */
function at(where: string, line: number, col: number): { file: string; line: number; col: number } {
  const path = (p: string): string => (p.startsWith('file://') ? fileURLToPath(p) : p);
  const entry = findSourceMap(where)?.findEntry(line - 1, col - 1);
  if (!entry || !('originalSource' in entry) || !entry.originalSource) return { file: path(where), line, col };
  return { file: path(entry.originalSource), line: entry.originalLine + 1, col: entry.originalColumn + 1 };
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
