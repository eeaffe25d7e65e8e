// A scenario's declaration is input too: checked once when it is loaded, before any machine is
// sized from it or any worker started. Each error names the field, the allowed values and what was
// given, as a ScenarioError (exit 2: the user's scenario, never a foliorace bug).
import { PROFILES } from '../kernel/profile.js';
import { cpuRange, type Scenario } from '../scenario/define.js';
import { computeLayout, LIMITS, type MachineConfig } from '../shm/layout.js';
import { ScenarioError } from '../errors.js';
import { MACHINE_DEFAULTS } from '../shm/layout.js';

export const OUTCOME_KINDS = ['acceptable', 'forbidden', 'interesting'] as const;
const EXPECTATIONS = ['found', 'never', 'window'];
/** The machine fields a scenario may size, and the least each may be. */
const MACHINE_MIN = {
  folios: 1, cmaFolios: 0, mms: 1, ptesPerMm: 1, swapSlots: 0, traceCapacity: 1, scheduleCapacity: 1, scenarioVars: 0,
} as const;
/** One machine's SharedArrayBuffer at most: a machine this large is a typo, not a scenario. */
const MAX_MACHINE_BYTES = 256 * 2 ** 20;
const MAX_CPUS = 256;

/** Throws a ScenarioError naming the first bad field of `s` (loaded from `from`). */
export function validateScenario(s: Scenario, from: string): void {
  const bad = (field: string, want: string, got: unknown): never => {
    throw new ScenarioError(`${from}: ${field} must be ${want} (got ${show(got)})`);
  };
  const str = (field: string, v: unknown): void => {
    if (typeof v !== 'string' || v.length === 0 || v.length > 200 || /[\0-\x1f]/.test(v)) bad(field, 'a string of 1 to 200 printable characters', v);
  };
  const plain = (field: string, v: unknown): Record<string, unknown> => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) bad(field, 'an object', v);
    return v as Record<string, unknown>;
  };
  const cpuCount = (field: string, v: unknown): number => {
    if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > MAX_CPUS) bad(field, `an integer from 1 to ${MAX_CPUS}`, v);
    return v as number;
  };
  str('name', s.name);
  if (typeof s.cpus === 'number') cpuCount('cpus', s.cpus);
  else {
    const c = plain('cpus', s.cpus);
    const [min, max, def] = [cpuCount('cpus.min', c['min']), cpuCount('cpus.max', c['max']), cpuCount('cpus.default', c['default'])];
    if (min > max) bad('cpus.max', `at least cpus.min (${min})`, max);
    if (def < min || def > max) bad('cpus.default', `from cpus.min to cpus.max (${min} to ${max})`, def);
  }
  const outcomes = Object.entries(plain('outcomes', s.outcomes));
  const maxOutcomes = LIMITS.outcomes ?? 64;
  if (outcomes.length < 1 || outcomes.length > maxOutcomes) bad('outcomes', `1 to ${maxOutcomes} outcomes`, outcomes.length);
  for (const [name, kind] of outcomes) {
    str(`outcome name ${show(name)}`, name);
    if (!OUTCOME_KINDS.includes(kind as (typeof OUTCOME_KINDS)[number])) bad(`outcomes[${show(name)}]`, `one of ${OUTCOME_KINDS.join(', ')}`, kind);
  }
  const profiles = PROFILES.map((p) => p.name);
  for (const field of ['before', 'after'] as const) {
    if (!profiles.includes(s[field])) bad(field, `a kernel profile (${profiles.join(', ')})`, s[field]);
  }
  for (const [k, v] of Object.entries(plain('expect', s.expect))) {
    if (!profiles.includes(k)) bad(`expect[${show(k)}]`, `keyed by a kernel profile (${profiles.join(', ')})`, k);
    if (!EXPECTATIONS.includes(v as string)) bad(`expect[${show(k)}]`, `one of ${EXPECTATIONS.join(', ')}`, v);
  }
  if (s.claims !== undefined) for (const [k, v] of Object.entries(plain('claims', s.claims))) if (typeof v !== 'string') bad(`claims[${show(k)}]`, 'a string', v);
  if (s.machine !== undefined) validateMachine(plain('machine', s.machine), cpuRange(s).max, bad);
}

function validateMachine(machine: Record<string, unknown>, cpus: number, bad: (field: string, want: string, got: unknown) => never): void {
  for (const [k, v] of Object.entries(machine)) {
    if (!Object.hasOwn(MACHINE_MIN, k)) bad(`machine.${k}`, `one of the machine fields ${Object.keys(MACHINE_MIN).join(', ')}`, k);
    const min = MACHINE_MIN[k as keyof typeof MACHINE_MIN];
    const max = LIMITS[k as keyof MachineConfig] ?? Number.MAX_SAFE_INTEGER;
    if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) bad(`machine.${k}`, `an integer from ${min} to ${max.toLocaleString('en-US')}`, v);
  }
  const folios = (machine['folios'] as number | undefined) ?? 16;
  if (((machine['cmaFolios'] as number | undefined) ?? 0) > folios) bad('machine.cmaFolios', `at most machine.folios (${folios})`, machine['cmaFolios']);
  // The largest machine this declaration allows (its most CPUs, the largest batch and outcome count).
  const config = { ...MACHINE_DEFAULTS, ...machine, cpus, batchSize: 31, outcomes: LIMITS.outcomes ?? 64 } as MachineConfig;
  const bytes = computeLayout(config).words * 4;
  if (bytes > MAX_MACHINE_BYTES) {
    bad('machine', `a machine of at most ${MAX_MACHINE_BYTES / 2 ** 20} MiB at ${cpus} CPUs (lower traceCapacity, folios or scheduleCapacity)`,
      `${Math.round(bytes / 2 ** 20)} MiB`);
  }
}

/** A value as an error message quotes it: strings quoted, objects named, at most 60 characters. */
export function show(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : typeof v === 'object' && v !== null ? (Array.isArray(v) ? 'an array' : 'an object')
    : typeof v === 'function' ? 'a function' : String(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
