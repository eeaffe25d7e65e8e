// Reference-count primitives of src/kernel/page_ref.ts.
import { describe, expect, it } from 'vitest';
import { testMachine, type TestMachine } from '../../helpers/machine.js';
import {
  folio_get, folio_ref_add, folio_ref_count, folio_ref_freeze, folio_ref_sub_and_test, folio_try_get,
} from '../../../src/kernel/page_ref.js';
import type { CpuContext } from '../../../src/cpu/context.js';
import { FOLIO_STRIDE } from '../../../src/shm/layout.js';

const F = 3;

function setup(ref: number): { m: TestMachine; c: CpuContext } {
  const m = testMachine('6.10');
  const c = m.cpus[0];
  if (!c) throw new Error('test machine has no CPU0');
  Atomics.store(m.i32, m.L.FOLIO_REF + F * FOLIO_STRIDE, ref);
  return { m, c };
}

describe('page_ref', () => {
  it('folio_get and folio_ref_add raise the count; folio_ref_count reads it', () => {
    const { c } = setup(1);
    folio_get(c, F);
    folio_ref_add(c, F, 1024);
    expect(folio_ref_count(c, F)).toBe(1026);
  });

  it('folio_ref_sub_and_test is true only when the count reaches zero', () => {
    const { c } = setup(2);
    expect(folio_ref_sub_and_test(c, F, 1)).toBe(false);
    expect(folio_ref_sub_and_test(c, F, 1)).toBe(true);
    expect(folio_ref_count(c, F)).toBe(0);
  });

  it('a put below zero is reported as a model bug', () => {
    const { c } = setup(1);
    expect(() => folio_ref_sub_and_test(c, F, 2)).toThrow(/went negative/);
  });

  it('folio_try_get fails on a count of zero and succeeds (+1) otherwise', () => {
    const { m, c } = setup(0);
    expect(folio_try_get(c, F)).toBe(false);
    expect(Atomics.load(m.i32, m.L.FOLIO_REF + F * FOLIO_STRIDE)).toBe(0);
    Atomics.store(m.i32, m.L.FOLIO_REF + F * FOLIO_STRIDE, 2);
    expect(folio_try_get(c, F)).toBe(true);
    expect(Atomics.load(m.i32, m.L.FOLIO_REF + F * FOLIO_STRIDE)).toBe(3);
  });

  it('folio_ref_freeze succeeds only at the expected count and leaves zero', () => {
    const { m, c } = setup(2);
    expect(folio_ref_freeze(c, F, 1)).toBe(false);
    expect(Atomics.load(m.i32, m.L.FOLIO_REF + F * FOLIO_STRIDE)).toBe(2);
    expect(folio_ref_freeze(c, F, 2)).toBe(true);
    expect(Atomics.load(m.i32, m.L.FOLIO_REF + F * FOLIO_STRIDE)).toBe(0);
  });
});
