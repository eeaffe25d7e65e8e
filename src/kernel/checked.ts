// The `kernel` namespace a user's scenario calls: every function of api.ts, each behind a check of
// its arguments, so that a bad folio, mm or address names the function and the argument instead of
// failing somewhere inside the model ("Invalid atomic access index"). The checks go by parameter
// name (folio, mm, addr, …), so a function added to api.ts later with the usual names is checked
// too. Built-in scenarios and the model's internal calls use the functions unchecked: the checks
// cost only at the boundary of a user's scenario.
import type { Cpu } from './cpu.js';
import { NR_BATCHES, NR_LRU_LISTS } from '../shm/layout.js';

/** A scenario passed a kernel function an argument it cannot take: the user's error (exit 2). */
export class KernelArgumentError extends Error {
  override readonly name = 'KernelArgumentError';
}

/** A parameter's check: `ok` on every call (cheap), `why` only to word a failure. */
interface Check {
  ok(cpu: Cpu, v: unknown, hasMm: boolean): boolean;
  why(cpu: Cpu, v: unknown, hasMm: boolean): string;
}

const isIndex = (v: unknown, n: number): boolean => typeof v === 'number' && (v | 0) === v && v >= 0 && v < n;
function range(what: string, n: (cpu: Cpu) => number, size: string): Check {
  return { ok: (cpu, v) => isIndex(v, n(cpu)), why: (cpu) => `must be ${what} from 0 to ${n(cpu) - 1} (${size} is ${n(cpu)})` };
}
const folio = range('a folio index', (c) => c.L.config.folios, "the scenario's machine.folios");
const mm = range('an mm index', (c) => c.L.config.mms, "the scenario's machine.mms");
const pte = range('an address (PTE index)', (c) => c.L.config.ptesPerMm, "the scenario's machine.ptesPerMm");
const word = range('a lock word (from lru_lock_addr() or pte_lockptr())', (c) => c.m.length, 'the machine size');
const folioList: Check = {
  ok: (cpu, v) => Array.isArray(v) && v.every((x) => isIndex(x, cpu.L.config.folios)),
  why: (cpu, v) => {
    if (!Array.isArray(v)) return 'must be an array of folio indexes';
    const i = v.findIndex((x) => !isIndex(x, cpu.L.config.folios));
    return `[${i}] ${folio.why(cpu, v[i], false)}`;
  },
};

/** What each parameter name must hold. */
const CHECKS: Record<string, Check> = {
  cpu: { ok: (_c, v) => typeof v === 'object' && v !== null && (v as Partial<Cpu>).L !== undefined,
    why: () => 'must be the Cpu that setup(), actor() or check() was given' },
  folio,
  folios: folioList,
  list: folioList,
  mm, parent: mm, child: mm,
  // an address in an mm's page table, or (with no mm) the word of a lock (lru_lock_addr, pte_lockptr)
  addr: { ok: (cpu, v, hasMm) => (hasMm ? pte : word).ok(cpu, v, hasMm), why: (cpu, v, hasMm) => (hasMm ? pte : word).why(cpu, v, hasMm) },
  c: range('a CPU number', (c) => c.ncpus, 'the CPU count'),
  b: range('a batch (Batch.*)', () => NR_BATCHES, 'the number of batches'),
  slot: range('a swap slot', (c) => c.L.config.swapSlots, "the scenario's machine.swapSlots"),
  lru: range('an LRU list (Lru.*)', () => NR_LRU_LISTS, 'the number of lists'),
  bit: range('a page flag (Pg.*)', () => 32, 'the flag word width'),
  variable: range('a scenario variable', (c) => c.L.config.scenarioVars, "the scenario's machine.scenarioVars"),
  nr: { ok: (_c, v) => typeof v === 'number' && (v | 0) === v && v >= 0, why: () => 'must be a count (an integer ≥ 0)' },
};

/**
 * Parameter names of a function, from its source. The compiled JS keeps them; a bundler may add a
 * number to one that collides with another module's name (esbuild: `folio` → `folio2`, as in the
 * CPU worker's bundle), which is dropped.
 */
export function parameterNames(fn: (...a: never[]) => unknown): string[] {
  const src = fn.toString();
  const open = src.indexOf('(');
  let depth = 0, end = open;
  for (let i = open; i < src.length; i++) {
    if (src[i] === '(' || src[i] === '[' || src[i] === '{') depth++;
    else if (src[i] === ')' || src[i] === ']' || src[i] === '}') depth--;
    if (depth === 0) { end = i; break; }
  }
  return src.slice(open + 1, end).split(',').map((p) => p.split('=')[0]!.trim().replace(/\d+$/, '')).filter((p) => p !== '');
}

function shownValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(shownValue).join(', ')}]`;
  if (typeof v === 'object' && v !== null) return 'an object';
  return String(v);
}

/**
 * `fn` behind its argument checks; a function with no checked parameter is returned as it is.
 * `call` is what runs once the arguments passed: `fn` itself, or what the run's patch table holds
 * under its name (kernel/patchable.ts).
 */
function checked<F extends (...a: never[]) => unknown>(name: string, fn: F, call: (...a: unknown[]) => unknown): F {
  const params = parameterNames(fn);
  const checks = params.map((p, i) => [i, p, CHECKS[p]] as const).filter((x): x is readonly [number, string, Check] => x[2] !== undefined);
  if (checks.length === 0) return fn;
  const hasMm = params.includes('mm');
  const signature = `kernel.${name}(${params.join(', ')})`;
  const fail = (args: readonly unknown[]): never => {
    // the cpu check (parameter 0) comes first: the others read the machine's sizes through it
    for (const [i, p, check] of checks) {
      if (!check.ok(args[0] as Cpu, args[i], hasMm)) {
        throw new KernelArgumentError(`${signature}: argument ${i + 1} (${p}) ${check.why(args[0] as Cpu, args[i], hasMm)}, got ${shownValue(args[i])}`);
      }
    }
    throw new Error(`model bug: ${signature}: a check failed without saying why`);
  };
  const at = checks.map(([i]) => i);
  const ok = checks.map(([, , check]) => check.ok);
  const n = checks.length;
  // fixed arity, no argument array on the good path: a scenario's calls stay cheap
  const wrapper = params.length <= 6
    ? (a?: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown, f?: unknown): unknown => {
      for (let j = 0; j < n; j++) {
        const i = at[j]!;
        const v = i === 0 ? a : i === 1 ? b : i === 2 ? c : i === 3 ? d : i === 4 ? e : f;
        if (!ok[j]!(a as Cpu, v, hasMm)) fail([a, b, c, d, e, f]);
      }
      return call(a, b, c, d, e, f);
    }
    : (...args: unknown[]): unknown => {
      for (let j = 0; j < n; j++) if (!ok[j]!(args[0] as Cpu, args[at[j]!], hasMm)) fail(args);
      return call(...args);
    };
  Object.defineProperty(wrapper, 'name', { value: name });
  return wrapper as unknown as F;
}

/**
 * Every function of `api` checked; every other export (Pg, Zone, constants) as it is. A function
 * `table` holds under the same name is called through it, so that a patch's replacement is what
 * the scenario calls too.
 */
export function checkedKernel<T extends object>(api: T, table: object): T {
  const out: Record<string, unknown> = {};
  const via = table as Record<string, (...a: unknown[]) => unknown>;
  for (const [name, v] of Object.entries(api)) {
    if (typeof v !== 'function' || /^class\b/.test(Function.prototype.toString.call(v))) { out[name] = v; continue; }
    // fixed arity where it fits, as checked()'s wrapper: no argument array on the way through
    const call = !Object.hasOwn(via, name) ? v as (...a: unknown[]) => unknown
      : parameterNames(v as (...a: never[]) => unknown).length > 6 ? (...a: unknown[]): unknown => via[name]!(...a)
        : (a?: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown, f?: unknown): unknown => via[name]!(a, b, c, d, e, f);
    out[name] = checked(name, v as (...a: never[]) => unknown, call);
  }
  return Object.freeze(out) as T;
}
