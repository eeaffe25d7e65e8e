// A patch file: the user's own change to the model, tried before and after as a built-in switch is
// (docs/patches.md). It names itself, says what it is and where it was posted or committed, and
// replaces or wraps model functions by their kernel names (kernel/patchable.ts): what it puts in
// their place is what the rest of the model calls, with the `kernel` API and the Cpu to work with.
import type { KernelFns, PatchableName } from '../kernel/patchable.js';

export interface Patch {
  /** kebab-case; what reports, failure files and replay strings call it. */
  readonly name: string;
  /** The patch's subject line, as posted. */
  readonly title: string;
  /** Where it was posted or committed: a commit id, a lore link, "not posted". */
  readonly source?: string;
  /** Functions that replace the model's, each with the model's signature. */
  readonly replace?: { readonly [K in PatchableName]?: KernelFns[K] };
  /**
   * Wrappers: each is given the model's function once, when a run starts, and returns the function
   * that replaces it (and may call the original).
   */
  readonly wrap?: { readonly [K in PatchableName]?: (original: KernelFns[K]) => KernelFns[K] };
}

/** Declares a patch; returns it unchanged, typed (the default export of a patch file). */
export function definePatch(p: Patch): Patch {
  return p;
}

/** Whether a value looks like a patch (for files given by path); validate-patch.ts checks it in full. */
export function isPatch(x: unknown): x is Patch {
  if (typeof x !== 'object' || x === null) return false;
  const p = x as Record<string, unknown>;
  return typeof p['name'] === 'string' && typeof p['title'] === 'string' && (p['replace'] !== undefined || p['wrap'] !== undefined) &&
    p['actor'] === undefined;
}
