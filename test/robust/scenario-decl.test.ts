// Hostile scenario declarations, validated in-process as loadScenario validates them: every field
// that sizes the machine or names an outcome, replaced by hostile values. Each bad one is one
// ScenarioError line naming the field and what is allowed; every built-in scenario passes.
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../dist/src/errors.js';
import { validateScenario } from '../../dist/src/load/validate-scenario.js';
import type { Scenario } from '../../dist/src/scenario/define.js';
import { BUILTIN_SCENARIOS } from '../../dist/src/scenarios/index.js';
import { HOSTILE_VALUES } from './hostile.js';

const BASE = {
  name: 'decl', summary: 's', seeds: [], cpus: 2, outcomes: { ok: 'acceptable', bad: 'forbidden' }, before: '6.10', after: '6.11',
  expect: { '6.10': 'found' }, setup() {}, actor() {}, check: () => 'ok',
} as unknown as Scenario;

function verdict(s: Record<string, unknown>): string | null {
  try {
    validateScenario(s as unknown as Scenario, 'decl.js');
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    expect((e as Error).message).not.toMatch(/\n/);
    expect((e as Error).message.startsWith('decl.js: ')).toBe(true);
    return (e as Error).message;
  }
}

describe('scenario declarations', () => {
  it('every built-in scenario is a valid declaration', () => {
    for (const s of BUILTIN_SCENARIOS) expect(verdict(s as unknown as Record<string, unknown>), s.name).toBeNull();
  });

  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['outcome kind typo', { outcomes: { ok: 'acceptable', bad: 'forbiden' } }, /outcomes\["bad"\] must be one of acceptable, forbidden, interesting \(got "forbiden"\)/],
    ['no outcomes', { outcomes: {} }, /outcomes must be 1 to 64 outcomes \(got 0\)/],
    ['65 outcomes', { outcomes: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`o${i}`, 'acceptable'])) }, /outcomes must be 1 to 64/],
    ['cpus 0', { cpus: 0 }, /cpus must be an integer from 1 to 256 \(got 0\)/],
    ['cpus -1', { cpus: -1 }, /cpus must be an integer from 1 to 256 \(got -1\)/],
    ['cpus 1.5', { cpus: 1.5 }, /cpus must be an integer from 1 to 256 \(got 1\.5\)/],
    ['cpus 257', { cpus: 257 }, /cpus must be an integer from 1 to 256 \(got 257\)/],
    ['cpus range inverted', { cpus: { min: 4, max: 2, default: 2 } }, /cpus\.max must be at least cpus\.min \(4\)/],
    ['cpus default outside', { cpus: { min: 2, max: 4, default: 8 } }, /cpus\.default must be from cpus\.min to cpus\.max/],
    ['machine.folios 1e9', { machine: { folios: 1e9 } }, /machine\.folios must be an integer from 1 to 1,048,576 \(got 1000000000\)/],
    ['machine.folios -4', { machine: { folios: -4 } }, /machine\.folios must be an integer from 1/],
    ['traceCapacity 0', { machine: { traceCapacity: 0 } }, /machine\.traceCapacity must be an integer from 1 to 65,536 \(got 0\)/],
    ['scheduleCapacity too large', { machine: { scheduleCapacity: 2 ** 21 } }, /machine\.scheduleCapacity must be an integer from 1 to 1,048,576/],
    ['cmaFolios above folios', { machine: { folios: 4, cmaFolios: 5 } }, /machine\.cmaFolios must be at most machine\.folios \(4\)/],
    ['unknown machine field', { machine: { folio: 4 } }, /machine\.folio must be one of the machine fields/],
    ['machine field named after a prototype key', { machine: JSON.parse('{"constructor": 4}') }, /machine\.constructor must be one of the machine fields/],
    ['a machine too large in total', { cpus: 256, machine: { traceCapacity: 65536 } }, /machine must be a machine of at most 256 MiB at 256 CPUs/],
    ['unknown before profile', { before: '9.9' }, /before must be a kernel profile/],
    ['expect keyed by an unknown profile', { expect: { nope: 'found' } }, /expect\["nope"\] must be keyed by a kernel profile/],
    ['expect with a bad value', { expect: { '6.10': 'sometimes' } }, /expect\["6\.10"\] must be one of found, never, window/],
    ['a claim that is not text', { claims: { x: 1 } }, /claims\["x"\] must be a string/],
    ['an empty name', { name: '' }, /name must be a string of 1 to 200 printable characters/],
  ];
  for (const [what, patch, message] of cases) {
    it(`${what}: one line naming the field`, () => expect(verdict({ ...BASE, ...patch })).toMatch(message));
  }

  const fields = ['name', 'cpus', 'outcomes', 'before', 'after', 'expect', 'claims', 'machine'];
  const generated = fields.flatMap((f) => HOSTILE_VALUES.map((v) => [f, v] as const));
  it(`${generated.length} hostile values in ${fields.length} fields: accepted only when valid, else one line naming the field`, () => {
    for (const [field, value] of generated) {
      const msg = verdict({ ...BASE, [field]: value });
      if (msg === null) continue; // e.g. claims: {} or name: "constructor"
      expect(msg, `${field} = ${JSON.stringify(value)}`).toMatch(new RegExp(`^decl\\.js: (outcome name )?${field === 'outcomes' ? '(outcomes|outcome name)' : field}`));
    }
    for (const value of HOSTILE_VALUES) {
      for (const key of ['folios', 'traceCapacity', 'scheduleCapacity', 'swapSlots']) {
        const msg = verdict({ ...BASE, machine: { [key]: value } });
        if (msg !== null) expect(msg).toMatch(new RegExp(`machine(\\.${key})? must be`));
        else expect(Number.isInteger(value)).toBe(true);
      }
      const outcome = verdict({ ...BASE, outcomes: { ok: value } });
      if (outcome !== null) expect(outcome).toMatch(/outcomes\["ok"\] must be one of/);
    }
  });
});
