// Loading a scenario: a built-in by name, or a .js/.mjs/.ts module given by path whose default
// export is a scenario. A file given by path is bundled once, on the main thread
// (scenario-bundle.ts), and every thread imports the bundle: no module hooks anywhere.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { isScenario, type Scenario } from '../scenario.js';
import { BUILTIN_SCENARIOS, builtinScenario } from '../scenarios/index.js';
import type { ScenarioRef } from './control.js';
import { CrashError, ScenarioError, UsageError } from './errors.js';
import { probeScenarioFile, type ProbeOptions } from './load-probe.js';
import { bundleBytes, bundleScenario, installApi } from './scenario-bundle.js';
import { userFault } from './scenario-fault.js';
import { shown, shownAt, typecheckScenario } from './typecheck.js';
import { validateScenario } from './validate-scenario.js';

/** Main thread: the bundle of each scenario file, the last one made (what its workers import). */
const bundles = new Map<string, string>();
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
  /** Type-check a .ts file first (the main thread does it once; workers do not). */
  typecheck?: boolean;
  /** The main thread: import a file in a worker first, within these bounds (load-probe.ts). */
  probe?: ProbeOptions;
  /** A file's module instance: above 0, a fresh one, whose top level runs again (a worker's next run: cpu-control.ts). */
  instance?: number;
}

/** Bytes a worker's run of `ref` imports: its bundle's for a file (a fresh instance each run), none for a built-in. */
export function importedBytes(ref: ScenarioRef): number {
  const w = workerRef(ref);
  return 'path' in w && w.bundle !== undefined ? bundleBytes(w.bundle) : 0;
}

/** What a CPU worker is told to load: a file with the bundle the main thread made of it. */
export function workerRef(ref: ScenarioRef): ScenarioRef {
  return 'path' in ref ? { path: ref.path, bundle: bundles.get(ref.path) ?? ref.bundle } : ref;
}

/**
 * The scenario behind a reference. A file that is not a scenario is a UsageError; one that does not
 * type-check, has a syntax error or throws while loading is a ScenarioError (the user's code).
 */
export async function loadScenario(ref: ScenarioRef, opts: LoadOptions = {}): Promise<Scenario> {
  if ('builtin' in ref) {
    const s = builtinScenario(ref.builtin);
    if (!s) throw new UsageError(`unknown scenario "${ref.builtin}"`);
    return s;
  }
  let bundle: string;
  if (isMainThread) {
    if (opts.typecheck && ref.path.endsWith('.ts')) {
      const errors = await typecheckScenario(ref.path);
      if (errors.length > 0) {
        throw new ScenarioError(`${shown(ref.path)} does not type-check (--no-typecheck runs it anyway):\n${errors.join('\n')}`);
      }
    }
    bundle = await bundleScenario(ref.path);
    bundles.set(ref.path, bundle);
    if (opts.probe && !imported.has(bundle)) await probeScenarioFile(ref.path, bundle, opts.probe);
  } else {
    if (!ref.bundle) throw new CrashError(`a CPU worker was given ${ref.path} without its bundle (a bug in foliorace)`);
    bundle = ref.bundle;
  }
  process.setSourceMapsEnabled(true); // stack traces at the user's lines
  await installApi();
  let mod: unknown;
  // A module that calls process.exit while it loads would end foliorace itself, silently, with its
  // code: on the main thread the call is turned into an error for the duration of the import. (In a
  // CPU's worker it ends only that worker, which the supervisor reports.)
  const exit = process.exit;
  if (isMainThread) {
    process.exit = ((code?: number | string | null) => {
      throw new ScenarioError(`scenario file ${ref.path} called process.exit while loading (code ${code ?? 0}); a scenario file only declares its scenario`);
    }) as typeof process.exit;
  }
  try {
    mod = await import(`${pathToFileURL(bundle).href}${opts.instance ? `?instance=${opts.instance}` : ''}`);
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    const f = userFault(e);
    const why = f ? `${f.where ? `${shownAt(f.where)}: ` : ''}${f.message.split('\n')[0]}` : e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new ScenarioError(`${shown(ref.path)} does not load: ${why}`);
  } finally {
    process.exit = exit;
  }
  imported.add(bundle);
  const s = (mod as { default?: unknown }).default;
  if (!isScenario(s)) {
    throw new UsageError(`${ref.path} is not a scenario: its default export must be defineScenario({ name, cpus, outcomes, setup, actor, check, ... })`);
  }
  validateScenario(s, ref.path);
  return s;
}
