// Importing a scenario in this thread: a built-in by name, or the bundle the main thread made of a
// scenario file (load/bundle.ts); and a patch file's bundle the same way. A CPU worker imports its
// scenario and patch only this way; the main thread does more first (type-check, bundle, probe:
// load/load.ts) and then imports them the same way.
import { statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import * as authoring from '../scenario/index.js';
import { isScenario, type Scenario } from '../scenario/define.js';
import { builtinScenario } from '../scenarios/index.js';
import { CrashError, ScenarioError, UsageError } from '../errors.js';
import { isPatch, type Patch } from '../scenario/patch.js';
import type { FileRef, ScenarioRef } from './protocol.js';
import { shown, shownAt, userFault } from './scenario-fault.js';

/** The global a bundled scenario's `import … from 'foliorace'` reads (load/bundle.ts). */
export const API_KEY = Symbol.for('foliorace.api');

/**
 * The 'foliorace' of scenario files imported in this thread: the authoring surface (scenario/), and
 * on the main thread the run API too, which api/ provides when it loads (provideRunApi). A file
 * that imports a run-API name runs in a worker with that name undefined: a scenario's own code
 * (setup, actors, check) never needs it.
 */
function scenarioApi(): Record<string, unknown> {
  const g = globalThis as Record<symbol, Record<string, unknown> | undefined>;
  return (g[API_KEY] ??= { ...authoring });
}

/** Adds `names` to the 'foliorace' scenario files imported in this thread see. */
export function provideRunApi(names: Record<string, unknown>): void {
  Object.assign(scenarioApi(), names);
}

/**
 * The scenario behind `ref`. A file's module instance `instance` above 0 is a fresh one, whose top
 * level runs again (a warm worker's next run: control.ts). A module that throws while it loads is a
 * ScenarioError at the user's line; one whose default export is not a scenario, a UsageError.
 */
export async function importScenario(ref: ScenarioRef, instance = 0): Promise<Scenario> {
  if ('builtin' in ref) {
    const s = builtinScenario(ref.builtin);
    if (!s) throw new UsageError(`unknown scenario "${ref.builtin}"`);
    return s;
  }
  const s = await importFile(ref, instance);
  if (!isScenario(s)) {
    throw new UsageError(`${ref.path} is not a scenario: its default export must be defineScenario({ name, cpus, outcomes, setup, actor, check, ... })`);
  }
  return s;
}

/** The patch in file `ref` (its bundle), as importScenario() imports a scenario file. */
export async function importPatch(ref: FileRef, instance = 0): Promise<Patch> {
  const p = await importFile(ref, instance);
  if (!isPatch(p)) {
    throw new UsageError(`${ref.path} is not a patch: its default export must be definePatch({ name, title, replace, wrap })`);
  }
  return p;
}

/** The default export of file `ref`'s bundle, instance `instance`. */
async function importFile(ref: FileRef, instance: number): Promise<unknown> {
  if (!ref.bundle) throw new CrashError(`${ref.path} was imported without its bundle (a bug in foliorace)`);
  process.setSourceMapsEnabled(true); // stack traces at the user's lines
  scenarioApi();
  let mod: unknown;
  try {
    mod = await import(`${pathToFileURL(ref.bundle).href}${instance ? `?instance=${instance}` : ''}`);
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    const f = userFault(e);
    const why = f ? `${f.where ? `${shownAt(f.where)}: ` : ''}${f.message.split('\n')[0]}` : e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new ScenarioError(`${shown(ref.path)} does not load: ${why}`);
  }
  return (mod as { default?: unknown }).default;
}

/** Bytes a worker keeps of its run of `ref`: its bundle's size for a file (a fresh instance each run), none for a built-in. */
export function importedBytes(ref: ScenarioRef): number {
  if (!('path' in ref) || ref.bundle === undefined) return 0;
  try {
    return statSync(ref.bundle).size;
  } catch {
    return Infinity; // a bundle gone counts as unbounded
  }
}
