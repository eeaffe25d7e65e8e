// Loading a scenario on the main thread: a built-in by name, or a .js/.mjs/.ts module given by path
// whose default export is a scenario. A file given by path is type-checked and bundled once, here
// (bundle.ts), imported first in a worker within the run's limits (probe.ts), then here; every CPU
// worker imports the same bundle (cpu/import-scenario.ts): no module hooks anywhere.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Scenario } from '../scenario/define.js';
import { BUILTIN_SCENARIOS, builtinScenario } from '../scenarios/index.js';
import type { ScenarioRef } from '../cpu/protocol.js';
import { importScenario } from '../cpu/import-scenario.js';
import { shown } from '../cpu/scenario-fault.js';
import { ScenarioError, UsageError } from '../errors.js';
import { probeScenarioFile, type ProbeOptions } from './probe.js';
import { bundleScenario } from './bundle.js';
import { typecheckScenario } from './typecheck.js';
import { validateScenario } from './validate-scenario.js';

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
  if (opts.typecheck && ref.path.endsWith('.ts')) {
    const errors = await typecheckScenario(ref.path);
    if (errors.length > 0) {
      throw new ScenarioError(`${shown(ref.path)} does not type-check (--no-typecheck runs it anyway):\n${errors.join('\n')}`);
    }
  }
  const bundle = await bundleScenario(ref.path);
  ref.bundle = bundle;
  if (opts.probe && !imported.has(bundle)) await probeScenarioFile(ref.path, bundle, opts.probe);
  // A module that calls process.exit while it loads would end foliorace itself, silently, with its
  // code: here the call is turned into an error for the duration of the import. (In a CPU's worker
  // it ends only that worker, which the supervisor reports.)
  const exit = process.exit;
  process.exit = ((code?: number | string | null) => {
    throw new ScenarioError(`scenario file ${ref.path} called process.exit while loading (code ${code ?? 0}); a scenario file only declares its scenario`);
  }) as typeof process.exit;
  let s: Scenario;
  try {
    s = await importScenario(ref);
  } finally {
    process.exit = exit;
  }
  imported.add(bundle);
  validateScenario(s, ref.path);
  return s;
}
