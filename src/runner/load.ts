// Loading a scenario: a built-in by name, or a .js/.mjs/.ts module given by path whose default
// export is a scenario. Files given by path load through the module hooks of ts-hooks.ts, in the
// main thread and in every CPU worker alike.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { isScenario, type Scenario } from '../scenario.js';
import { BUILTIN_SCENARIOS, builtinScenario } from '../scenarios/index.js';
import type { ScenarioRef } from './control.js';
import { ScenarioError, UsageError } from './errors.js';
import { probeScenarioFile, type ProbeOptions } from './load-probe.js';
import { shown, typecheckScenario } from './typecheck.js';
import { validateScenario } from './validate-scenario.js';

let hooked = false;
/** Files this thread has imported: the module is cached, so no top level runs again. */
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
  if (!hooked) {
    register(new URL('./ts-hooks.js', import.meta.url));
    process.setSourceMapsEnabled(true); // stack traces at the user's .ts lines
    hooked = true;
  }
  if (opts.typecheck && ref.path.endsWith('.ts')) {
    const errors = await typecheckScenario(ref.path);
    if (errors.length > 0) {
      throw new ScenarioError(`${shown(ref.path)} does not type-check (--no-typecheck runs it anyway):\n${errors.join('\n')}`);
    }
  }
  if (isMainThread && opts.probe && !imported.has(ref.path)) await probeScenarioFile(ref.path, opts.probe);
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
    if (e instanceof SyntaxError) throw new ScenarioError(`syntax error: ${syntaxErrorAt(ref.path, e.message)}`);
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new ScenarioError(`${shown(ref.path)} does not load: ${why}`);
  } finally {
    process.exit = exit;
  }
  imported.add(ref.path);
  const s = (mod as { default?: unknown }).default;
  if (!isScenario(s)) {
    throw new UsageError(`${ref.path} is not a scenario: its default export must be defineScenario({ name, cpus, outcomes, setup, actor, check, ... })`);
  }
  validateScenario(s, ref.path);
  return s;
}

/**
 * `file:line:col: message` of a syntax error. The .ts hook puts the place in the message; for
 * JavaScript, Node's import error has none, so `node --check` (the same parser) is asked for it.
 */
function syntaxErrorAt(path: string, message: string): string {
  const ts = /^(.*):(\d+):(\d+): (.*)$/s.exec(message);
  if (ts) return `${shown(ts[1]!)}:${ts[2]}:${ts[3]}: ${ts[4]}`;
  const r = spawnSync(process.execPath, ['--check', path], { encoding: 'utf8' });
  const line = /^(?:file:\/\/)?[^\n]*?:(\d+)\n/.exec(r.stderr ?? '')?.[1];
  return `${shown(path)}${line ? `:${line}` : ''}: ${message}`;
}
