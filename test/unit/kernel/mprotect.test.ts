// mm/mprotect.c mprotect() on one machine: PROT_READ write-protects; PROT_READ|PROT_WRITE maps an
// exclusive anon page writable at once only with the v6.0 rule and without soft-dirty tracking.
import { describe, expect, it } from 'vitest';
import { violation } from '../../helpers/machine.js';
import { copy_page_range } from '../../../src/kernel/fork.js';
import { mprotect, PROT_READ, PROT_WRITE } from '../../../src/kernel/mprotect.js';
import { pte_write } from '../../../src/kernel/pgtable.js';
import { mapped_folio, user_store } from '../../../src/kernel/user.js';
import { anonFolio, D1, machine, pte } from '../../helpers/swap.js';

const RW = PROT_READ | PROT_WRITE;

describe('mprotect', () => {
  it.each(['5.17', '5.19', '6.10', '6.17'])('%s: PROT_READ write-protects the PTE; a store then write-faults', (kernel) => {
    const { m, c0 } = machine(kernel);
    const f = anonFolio(c0);
    mprotect(c0, 0, 0, 1, PROT_READ);
    expect(pte_write(pte(m, 0, 0))).toBe(false);
    expect(mapped_folio(c0, 0, 0)).toBe(f);
    expect(violation(m)).toBeNull();
  });

  it.each([['5.17', false], ['5.18', false], ['5.19', false], ['6.10', true], ['6.17', true]] as const)(
    '%s: PROT_READ|PROT_WRITE maps the exclusive page writable at once: %s', (kernel, writable) => {
      const { m, c0 } = machine(kernel);
      const f = anonFolio(c0);
      mprotect(c0, 0, 0, 1, PROT_READ);
      mprotect(c0, 0, 0, 1, RW);
      expect(pte_write(pte(m, 0, 0))).toBe(writable);
      expect(user_store(c0, 0, 0, D1)).toBe(f); // reused or written directly: the same page
    });

  it('6.17: soft-dirty tracking armed (clear_refs) keeps the PTE read-only', () => {
    const { m, c0 } = machine('6.17');
    anonFolio(c0);
    mprotect(c0, 0, 0, 1, PROT_READ);
    mprotect(c0, 0, 0, 1, RW, true);
    expect(pte_write(pte(m, 0, 0))).toBe(false);
  });

  it('6.17: a page shared by fork() stays read-only, and the write copies', () => {
    const { m, c0 } = machine('6.17');
    const f = anonFolio(c0);
    copy_page_range(c0, 0, 1);
    mprotect(c0, 0, 0, 1, PROT_READ);
    mprotect(c0, 0, 0, 1, RW);
    expect(pte_write(pte(m, 0, 0))).toBe(false);
    expect(user_store(c0, 0, 0, D1)).not.toBe(f);
    expect(violation(m)).toBeNull();
  });
});
