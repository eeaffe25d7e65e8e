// mm/memory.c copy_present_page() (70e806e4e645, v5.9): fork() gives the child a copy of a
// possibly pinned page at once; the parent keeps its writable PTE and its page, so a store after
// fork() lands in the pinned page.
import { describe, expect, it } from 'vitest';
import { ref, violation } from '../../helpers/machine.js';
import { copy_page_range } from '../../../src/kernel/fork.js';
import { GUP_PIN_COUNTING_BIAS, pin_user_pages, unpin_folio } from '../../../src/kernel/gup.js';
import { pte_folio, pte_write } from '../../../src/kernel/pgtable.js';
import { peek_user, user_store } from '../../../src/kernel/user.js';
import { anonFolio, D0, D1, data, machine, mapcount, pte } from '../../helpers/swap.js';

describe('copy_present_page', () => {
  it.each(['5.17', '5.18', '5.19', '6.10', '6.17'])('%s: the child gets a copy; the pinned page stays the parent\'s', (kernel) => {
    const { m, c0 } = machine(kernel);
    const f = anonFolio(c0);
    expect(pin_user_pages(c0, 0, 0)).toBe(f);
    copy_page_range(c0, 0, 1);
    const child = pte_folio(pte(m, 1, 0));
    expect(child).not.toBe(f);
    expect(data(m, child)).toBe(D0);
    expect(mapcount(m, f)).toBe(1);
    expect(ref(m, f)).toBe(1 + GUP_PIN_COUNTING_BIAS);
    expect(pte_write(pte(m, 0, 0)) && pte_write(pte(m, 1, 0))).toBe(true);
    expect(user_store(c0, 0, 0, D1)).toBe(f);
    expect(data(m, f)).toBe(D1);
    expect(peek_user(c0, 1, 0)).toBe(D0);
    unpin_folio(c0, f);
    expect(violation(m)).toBeNull();
  });
});
