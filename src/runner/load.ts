// Loading a scenario: a built-in by name, or a .js/.mjs/.ts module given by path whose default
// export is a scenario. A .ts module is transpiled by the TypeScript compiler when it is installed.
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { isScenario, type Scenario } from '../scenarios/define.js';
import { BUILTIN_SCENARIOS, builtinScenario } from '../scenarios/index.js';
import type { ScenarioRef } from './control.js';
import { ScenarioError, UsageError } from './errors.js';
import { validateScenario } from './validate-scenario.js';

let tsHooked = false;

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

/** The scenario behind a reference; a file that does not load or is not a scenario is a UsageError. */
export async function loadScenario(ref: ScenarioRef): Promise<Scenario> {
  if ('builtin' in ref) {
    const s = builtinScenario(ref.builtin);
    if (!s) throw new UsageError(`unknown scenario "${ref.builtin}"`);
    return s;
  }
  if (ref.path.endsWith('.ts') && !tsHooked) {
    register(new URL('./ts-hooks.js', import.meta.url));
    tsHooked = true;
  }
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
    mod = await import(pathToFileURL(ref.path).href);
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new UsageError(`scenario file ${ref.path} does not load: ${why}`);
  } finally {
    process.exit = exit;
  }
  const s = (mod as { default?: unknown }).default;
  if (!isScenario(s)) {
    throw new UsageError(`${ref.path} is not a scenario: its default export must be defineScenario({ name, cpus, outcomes, setup, actor, check, ... })`);
  }
  validateScenario(s, ref.path);
  return s;
}
