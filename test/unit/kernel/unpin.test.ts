// mm/gup.c unpin_folio(): the last pin of a page nothing maps any more frees it (5.17: a write
// fault copied the pinned page away, the selftests' "Longterm R/W pin is not reliable" case).
import { describe, expect, it } from 'vitest';
import { violation } from '../../helpers/machine.js';
import { pin_user_pages, unpin_folio } from '../../../src/kernel/gup.js';
import { mprotect, PROT_READ, PROT_WRITE } from '../../../src/kernel/mprotect.js';
import { user_store } from '../../../src/kernel/user.js';
import { alive, anonFolio, D1, data, machine } from '../../helpers/swap.js';

describe('unpin_folio', () => {
  it('5.17: the pinned page COWed away by a write fault is freed by its unpin', () => {
    const { m, c0 } = machine('5.17');
    const f = anonFolio(c0);
    expect(pin_user_pages(c0, 0, 0)).toBe(f);
    mprotect(c0, 0, 0, 1, PROT_READ);
    mprotect(c0, 0, 0, 1, PROT_READ | PROT_WRITE);
    const copy = user_store(c0, 0, 0, D1);
    expect(copy).not.toBe(f); // page_count != 1: copied
    expect(data(m, f)).not.toBe(D1);
    unpin_folio(c0, f);
    expect(alive(m, f)).toBe(false);
    expect(violation(m)).toBeNull();
  });

  it('6.17: the exclusive pinned page is reused; the unpin leaves it mapped', () => {
    const { m, c0 } = machine('6.17');
    const f = anonFolio(c0);
    expect(pin_user_pages(c0, 0, 0)).toBe(f);
    mprotect(c0, 0, 0, 1, PROT_READ);
    mprotect(c0, 0, 0, 1, PROT_READ | PROT_WRITE, true);
    expect(user_store(c0, 0, 0, D1)).toBe(f);
    unpin_folio(c0, f);
    expect(alive(m, f)).toBe(true);
    expect(data(m, f)).toBe(D1);
    expect(violation(m)).toBeNull();
  });
});
