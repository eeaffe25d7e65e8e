// Loading a scenario on the main thread: a built-in by name, or a .js/.mjs/.ts module given by path
// whose default export is a scenario; and a patch file, the same way. A file given by path is
// type-checked and bundled once, here (bundle.ts), imported first in a worker within the run's
// limits (probe.ts), then here; every CPU worker imports the same bundle (cpu/import-scenario.ts):
// no module hooks anywhere.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Scenario } from '../scenario/define.js';
import { BUILTIN_SCENARIOS, builtinScenario } from '../scenarios/index.js';
import { kernelFns } from '../kernel/patchable.js';
import type { FileKind, FileRef, PatchFile, ScenarioRef } from '../cpu/protocol.js';
import { importPatch, importScenario } from '../cpu/import-scenario.js';
import { shown, shownAt, userFault } from '../cpu/scenario-fault.js';
import { PatchError, ScenarioError, UsageError } from '../errors.js';
import { probeFile, type ProbeOptions } from './probe.js';
import { bundleFile } from './bundle.js';
import { typecheckFile } from './typecheck.js';
import { validateScenario } from './validate-scenario.js';
import { validatePatch } from './validate-patch.js';
import { MODULE_PATH } from '../host/options.js';

/** What a file that calls process.exit as it loads is told: the import running in this context. */
const loading = new AsyncLocalStorage<{ what: string; why: string }>();
/** Imports under way (process.exit is replaced while there are any), and the process's own exit. */
let guarded = 0;
let processExit: typeof process.exit = process.exit;

/**
 * A module that calls process.exit while it loads would end foliorace itself, silently, with its
 * code: for the duration of the import the call is an error instead, in the words of the import
 * that made it. Imports under way at once (runs started together through the API) each get their
 * own words, and a call from outside any import still exits. (In a CPU's worker it ends only that
 * worker, which the supervisor reports.)
 */
async function exitGuarded<T>(what: string, why: string, load: () => Promise<T>): Promise<T> {
  if (guarded++ === 0) {
    processExit = process.exit;
    process.exit = ((code?: number | string | null) => {
      const l = loading.getStore();
      if (!l) return processExit(code);
      throw new ScenarioError(`${l.what} (code ${code ?? 0}); ${l.why}`);
    }) as typeof process.exit;
  }
  try {
    return await loading.run({ what, why }, load);
  } finally {
    if (--guarded === 0) process.exit = processExit;
  }
}

/** Bundles this thread has imported: the module is cached, so no top level runs again. */
const imported = new Set<string>();

/** Interprets what the user typed: a built-in name, or a path to a module. */
export function scenarioRef(arg: string): ScenarioRef {
  if (builtinScenario(arg)) return { builtin: arg };
  if (/\.(m?js|ts)$/.test(arg)) {
    const path = resolve(arg);
    if (!existsSync(path)) throw new UsageError(`scenario file not found: ${arg}`);
    return { path };
  }
  throw new UsageError(`unknown scenario "${arg}"; built-in: ${BUILTIN_SCENARIOS.map((s) => s.name).join(', ')} ` +
    '(see foliorace list), or give a path to a .js/.ts scenario file');
}

export interface LoadOptions {
  /** Type-check a .ts file first. */
  typecheck?: boolean;
  /** Import a file in a worker first, within these bounds (probe.ts). */
  probe?: ProbeOptions;
}

/**
 * The scenario behind a reference. For a file, `ref.bundle` is set to the bundle made of it (what
 * the run's workers import). A file that is not a scenario is a UsageError; one that does not
 * type-check, has a syntax error or throws while loading is a ScenarioError (the user's code).
 */
export async function loadScenario(ref: ScenarioRef, opts: LoadOptions = {}): Promise<Scenario> {
  if ('builtin' in ref) return importScenario(ref);
  const s = await loadFile(ref, 'scenario', opts, () => importScenario(ref));
  validateScenario(s, ref.path);
  return s;
}

/**
 * The patch file at `arg` (a path), loaded as a scenario file is, then checked: its declaration
 * (validate-patch.ts) and its wrappers, which build the run's table here once. Anything wrong with
 * the user's file is a PatchError (exit 2) at its line where there is one.
 */
export async function loadPatch(arg: string, opts: LoadOptions = {}): Promise<PatchFile> {
  const path = resolve(arg);
  if (!MODULE_PATH.test(path)) throw new UsageError(`a patch file is a .ts, .js or .mjs module (got "${arg}"); a switch is NAME=on|off`);
  if (!existsSync(path)) throw new UsageError(`patch file not found: ${arg}`);
  const ref: FileRef = { path };
  try {
    const p = await loadFile(ref, 'patch', opts, () => importPatch(ref));
    validatePatch(p, shown(path));
    try {
      kernelFns(p);
    } catch (e) {
      const f = userFault(e);
      throw new ScenarioError(`${f?.where ? `${shownAt(f.where)}: ` : `${shown(path)}: `}${f?.message ?? String(e)}`);
    }
    return { name: p.name, title: p.title, source: p.source ?? null, path, hash: contentHash(path), bundle: ref.bundle! };
  } catch (e) {
    throw e instanceof ScenarioError && !(e instanceof PatchError) ? new PatchError(e.message) : e;
  }
}

/** sha256 of file `path`'s text, 12 hex digits: what failure files record of a patch. */
export function contentHash(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 12);
}

/**
 * A file the user gave, of `kind`: type-checked (a .ts), bundled (`ref.bundle`), imported in a
 * worker within the run's limits, then here by `load`, with process.exit turned into an error.
 */
async function loadFile<T>(ref: FileRef, kind: FileKind, opts: LoadOptions, load: () => Promise<T>): Promise<T> {
  if (opts.typecheck && ref.path.endsWith('.ts')) {
    const errors = typecheckFile(ref.path);
    if (errors.length > 0) {
      throw new ScenarioError(`${shown(ref.path)} does not type-check (--no-typecheck runs it anyway):\n${errors.join('\n')}`);
    }
  }
  const bundle = await bundleFile(ref.path);
  ref.bundle = bundle;
  if (opts.probe && !imported.has(bundle)) await probeFile(ref.path, bundle, kind, opts.probe);
  const x = await exitGuarded(`${kind} file ${ref.path} called process.exit while loading`, `a ${kind} file only declares its ${kind}`, load);
  imported.add(bundle);
  return x;
}
