// A patch's declaration is input too: checked once when the file loads, before any worker builds
// its table. Each error names the field, what it allows and what was given (exit 2).
import { isPatchable, PATCHABLE_NAMES } from '../kernel/patchable.js';
import type { Patch } from '../scenario/patch.js';
import { ScenarioError } from '../errors.js';
import { show } from './validate-scenario.js';

const NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Throws a ScenarioError naming the first bad field of patch `p` (loaded from `from`). */
export function validatePatch(p: Patch, from: string): void {
  const bad = (field: string, want: string, got: unknown): never => {
    throw new ScenarioError(`${from}: ${field} must be ${want} (got ${show(got)})`);
  };
  if (!NAME.test(p.name)) bad('name', '1 to 64 lower-case letters, digits or -, starting with a letter or digit', p.name);
  for (const field of ['title', 'source'] as const) {
    const v: unknown = p[field];
    if (v === undefined && field === 'source') continue;
    if (typeof v !== 'string' || v.length === 0 || v.length > 200 || /[\0-\x1f]/.test(v)) bad(field, 'a string of 1 to 200 printable characters', v);
  }
  let functions = 0;
  for (const part of ['replace', 'wrap'] as const) {
    const fns: unknown = p[part];
    if (fns === undefined) continue;
    if (typeof fns !== 'object' || fns === null || Array.isArray(fns)) bad(part, 'an object of functions by kernel name', fns);
    for (const [name, f] of Object.entries(fns as object)) {
      if (!isPatchable(name)) bad(`${part} key ${show(name)}`, `a patchable function (${nearest(name)}; all: docs/patches.md)`, name);
      if (typeof f !== 'function') bad(`${part}.${name}`, part === 'wrap' ? 'a function (original) => replacement' : 'a function', f);
      if (part === 'wrap' && p.replace !== undefined && Object.hasOwn(p.replace, name)) bad(`wrap.${name}`, `absent: ${name} is replaced already`, f);
      functions++;
    }
  }
  if (functions === 0) bad('replace/wrap', 'at least one function', 0);
}

/** The patchable names closest to `name` (fewest edits), to name in the error. */
function nearest(name: string): string {
  const ranked = PATCHABLE_NAMES.map((n) => [n, edits(name, n)] as const).sort((a, b) => a[1] - b[1]);
  return `such as ${ranked.slice(0, 3).map(([n]) => n).join(', ')}`;
}

/** Levenshtein distance. */
function edits(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}
