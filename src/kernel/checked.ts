// The `kernel` namespace a user's scenario calls: every function of api.ts, each behind a check of
// its arguments, so that a bad folio, mm or address names the function and the argument instead of
// failing somewhere inside the model ("Invalid atomic access index"). The checks go by parameter
// name (folio, mm, addr, …), so a function added to api.ts later with the usual names is checked
// too. Built-in scenarios and the model's internal calls use the functions unchecked: the checks
// cost only at the boundary of a user's scenario.
import type { Cpu } from './cpu.js';
import { NR_LRU_LISTS } from '../shm/layout.js';

/** A scenario passed a kernel function an argument it cannot take: the user's error (exit 2). */
export class KernelArgumentError extends Error {
  override readonly name = 'KernelArgumentError';
}

type Check = (cpu: Cpu, v: unknown, scope: { hasMm: boolean }) => string | null;

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const range = (what: string, n: (cpu: Cpu) => number, size: string): Check => (cpu, v) =>
  isInt(v) && v >= 0 && v < n(cpu) ? null : `must be ${what} from 0 to ${n(cpu) - 1} (${size} is ${n(cpu)})`;
const folio = range('a folio index', (c) => c.L.config.folios, "the scenario's machine.folios");
const mm = range('an mm index', (c) => c.L.config.mms, "the scenario's machine.mms");
const folioList: Check = (cpu, v, scope) => {
  if (!Array.isArray(v)) return 'must be an array of folio indexes';
  for (let i = 0; i < v.length; i++) { const bad = folio(cpu, v[i], scope); if (bad) return `[${i}] ${bad}`; }
  return null;
};

/** What each parameter name must hold. */
const CHECKS: Record<string, Check> = {
  cpu: (_c, v) => (typeof v === 'object' && v !== null && (v as Cpu).m instanceof Int32Array ? null
    : 'must be the Cpu that setup(), actor() or check() was given'),
  folio,
  folios: folioList,
  list: folioList,
  mm, parent: mm, child: mm,
  // an address in an mm's page table, or (with no mm) the word of a lock (lru_lock_addr, pte_lockptr)
  addr: (cpu, v, scope) => scope.hasMm ? range('an address (PTE index)', (c) => c.L.config.ptesPerMm, "the scenario's machine.ptesPerMm")(cpu, v, scope)
    : range('a lock word (from lru_lock_addr() or pte_lockptr())', (c) => c.m.length, 'the machine size')(cpu, v, scope),
  c: range('a CPU number', (c) => c.ncpus, 'the CPU count'),
  slot: range('a swap slot', (c) => c.L.config.swapSlots, "the scenario's machine.swapSlots"),
  lru: range('an LRU list (Lru.*)', () => NR_LRU_LISTS, 'the number of lists'),
  bit: range('a page flag (Pg.*)', () => 32, 'the flag word width'),
  nr: (_c, v) => (isInt(v) && v >= 0 ? null : 'must be a count (an integer ≥ 0)'),
};

/** Parameter names of a function, from its source (the compiled JS keeps them). */
export function parameterNames(fn: (...a: never[]) => unknown): string[] {
  const src = fn.toString();
  const open = src.indexOf('(');
  let depth = 0, end = open;
  for (let i = open; i < src.length; i++) {
    if (src[i] === '(' || src[i] === '[' || src[i] === '{') depth++;
    else if (src[i] === ')' || src[i] === ']' || src[i] === '}') depth--;
    if (depth === 0) { end = i; break; }
  }
  return src.slice(open + 1, end).split(',').map((p) => p.split('=')[0]!.trim()).filter((p) => p !== '');
}

function shownValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(shownValue).join(', ')}]`;
  if (typeof v === 'object' && v !== null) return 'an object';
  return String(v);
}

/** `fn` behind its argument checks; a function with no checked parameter is returned as it is. */
function checked<F extends (...a: never[]) => unknown>(name: string, fn: F): F {
  const params = parameterNames(fn);
  const checks = params.map((p, i) => [i, p, CHECKS[p]] as const).filter((x): x is readonly [number, string, Check] => x[2] !== undefined);
  if (checks.length === 0) return fn;
  const scope = { hasMm: params.includes('mm') };
  const signature = `kernel.${name}(${params.join(', ')})`;
  const wrapper = (...args: Parameters<F>): ReturnType<F> => {
    // the cpu check (parameter 0) runs first: the others read the machine's sizes through it
    for (const [i, p, check] of checks) {
      const bad = check(args[0] as unknown as Cpu, args[i], scope);
      if (bad) throw new KernelArgumentError(`${signature}: argument ${i + 1} (${p}) ${bad}, got ${shownValue(args[i])}`);
    }
    return fn(...args) as ReturnType<F>;
  };
  Object.defineProperty(wrapper, 'name', { value: name });
  return wrapper as unknown as F;
}

/** Every function of `api` checked; every other export (Pg, Zone, constants) as it is. */
export function checkedKernel<T extends object>(api: T): T {
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(api)) {
    out[name] = typeof v === 'function' && !/^class\b/.test(Function.prototype.toString.call(v)) ? checked(name, v as (...a: never[]) => unknown) : v;
  }
  return Object.freeze(out) as T;
}
