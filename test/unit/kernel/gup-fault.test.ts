// mm/gup.c faulting pages in (faultin_page → handle_mm_fault), the GUP flags (FOLL_WRITE, FOLL_PIN
// vs FOLL_GET, FOLL_LONGTERM, FOLL_TOUCH), the R/O pin's unshare request (gup_must_unshare(),
// a7f226604170 / c89357e27f20, v5.19), and GUP-fast (gup-fast.ts), one CPU at a time.
import { describe, expect, it } from 'vitest';
import { countEvents, cpusOf, flag, fword, list, ref, testMachine, violation } from '../../helpers/machine.js';
import { before } from '../../helpers/interleave.js';
import { alive, CFG, D0, D1, data, machine, mapcount, pte } from '../../helpers/swap.js';
import { madvise_dontneed } from '../../../src/kernel/madvise.js';
import { copy_page_range } from '../../../src/kernel/fork.js';
import {
  EFAULT, EINVAL, FOLL_GET, FOLL_LONGTERM, FOLL_PIN, FOLL_WRITE, follow_page_pte, get_user_pages, GUP_PIN_COUNTING_BIAS,
  pin_user_pages, pin_user_pages_remote, put_page, unpin_folio,
} from '../../../src/kernel/gup.js';
import { FastFallback, get_user_pages_fast, pin_user_pages_fast } from '../../../src/kernel/gup-fast.js';
import { Pg } from '../../../src/kernel/page-flags.js';
import { is_swap_pte, pte_folio, pte_write } from '../../../src/kernel/pgtable.js';
import { S } from '../../../src/kernel/sites.js';
import { lru_add_drain } from '../../../src/kernel/swap.js';
import { user_load, user_store } from '../../../src/kernel/user.js';
import { swapOut } from '../../../src/scenario/kit.js';
import type { CpuContext } from '../../../src/cpu/context.js';
import type { TestMachine } from '../../helpers/machine.js';
import { Lru, TRACE_EVENT_WORDS } from '../../../src/shm/layout.js';

/** The values CPU0 recorded with `site`, in order. */
function traceValues(m: TestMachine, site: number): number[] {
  const cap = m.L.config.traceCapacity;
  const n = Math.min(cap, Atomics.load(m.i32, m.L.TRACE_LEN));
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const at = m.L.TRACE + i * TRACE_EVENT_WORDS;
    if (m.i32[at + 1] === site) out.push(m.i32[at + 3]!);
  }
  return out;
}

const PARENT = 0;
const CHILD = 1;
const BEFORE_UNSHARE = ['5.17', '5.18'] as const;
const WITH_UNSHARE = ['5.19', '6.10', '6.11', '6.17'] as const;
const ALL = [...BEFORE_UNSHARE, ...WITH_UNSHARE] as const;

/** The parent's page at addr 0 holding D0, drained, then shared with the child by fork(). */
function forked(kernel: string, patches: Record<string, boolean> = {}): { m: TestMachine; c0: CpuContext; f: number } {
  const m = testMachine(kernel, CFG, patches);
  const c0 = cpusOf(m)[0];
  const f = user_store(c0, PARENT, 0, D0);
  lru_add_drain(c0);
  copy_page_range(c0, PARENT, CHILD);
  return { m, c0, f };
}

describe('GUP faults pages in', () => {
  it.each(ALL)('%s: FOLL_WRITE pin of an empty PTE: do_anonymous_page maps a zeroed page, which is pinned', (kernel) => {
    const { m, c0 } = machine(kernel);
    const f = pin_user_pages(c0, PARENT, 0, FOLL_WRITE);
    expect(f).toBeGreaterThanOrEqual(0);
    expect(pte_folio(pte(m, PARENT, 0))).toBe(f);
    expect(pte_write(pte(m, PARENT, 0))).toBe(true);
    expect(data(m, f)).toBe(0);
    expect(ref(m, f)).toBe(1 + 1 + GUP_PIN_COUNTING_BIAS); // PTE + lru_add slot + pin
    expect(countEvents(m, 0, S.faultin_page)).toBe(1);
    expect(violation(m)).toBeNull();
    unpin_folio(c0, f);
    expect(violation(m)).toBeNull();
  });

  it.each(ALL)('%s: a R/O GUP of an empty PTE would map the zero page: "not modelled", never a silent page', (kernel) => {
    const { c0 } = machine(kernel);
    expect(() => pin_user_pages(c0, PARENT, 0, 0)).toThrow(/not modelled: .*zero page/);
  });

  it.each(ALL)('%s: a swapped-out page is read back by do_swap_page and pinned R/O; the pin reads its data', (kernel) => {
    const { m, c0 } = machine(kernel);
    const old = user_store(c0, PARENT, 0, D0);
    swapOut(c0, old);
    expect(is_swap_pte(pte(m, PARENT, 0))).toBe(true);
    const f = pin_user_pages(c0, PARENT, 0, FOLL_LONGTERM);
    expect(f).toBeGreaterThanOrEqual(0);
    expect(pte_folio(pte(m, PARENT, 0))).toBe(f);
    expect(data(m, f)).toBe(D0);
    expect(fword(m, m.L.OBS_PINS, f)).toBe(1);
    expect(countEvents(m, 0, S.do_swap_page)).toBe(1);
    expect(violation(m)).toBeNull();
  });

  it.each(ALL)('%s: a FOLL_WRITE pin of a swapped-out page maps it writable (write fault through do_swap_page)', (kernel) => {
    const { m, c0 } = machine(kernel);
    swapOut(c0, user_store(c0, PARENT, 0, D0));
    const f = pin_user_pages(c0, PARENT, 0, FOLL_WRITE | FOLL_LONGTERM);
    expect(pte_write(pte(m, PARENT, 0))).toBe(true);
    expect(pte_folio(pte(m, PARENT, 0))).toBe(f);
    expect(data(m, f)).toBe(D0);
    expect(violation(m)).toBeNull();
  });
});

describe('R/O pins of a page shared by fork (cow.c "R/O GUP pin on R/O-mapped shared page")', () => {
  it.each(BEFORE_UNSHARE)('%s: the shared page itself is pinned; the parent\'s write then copies, and the pin reads stale data', (kernel) => {
    const { m, c0, f } = forked(kernel);
    expect(pin_user_pages(c0, PARENT, 0, FOLL_LONGTERM)).toBe(f);
    expect(pte_folio(pte(m, CHILD, 0))).toBe(f);
    user_store(c0, PARENT, 0, D1);
    expect(pte_folio(pte(m, PARENT, 0))).not.toBe(f);
    expect(data(m, f)).toBe(D0); // what the device would read through the pin
    expect(countEvents(m, 0, S.gup_must_unshare)).toBe(0);
    expect(violation(m)).toBeNull();
  });

  it.each(WITH_UNSHARE)('%s: FAULT_FLAG_UNSHARE copies first (mapped R/O); the parent\'s write reuses it, and the pin sees the write', (kernel) => {
    const { m, c0, f } = forked(kernel);
    const pinned = pin_user_pages(c0, PARENT, 0, FOLL_LONGTERM);
    expect(pinned).not.toBe(f);
    expect(countEvents(m, 0, S.gup_must_unshare, f)).toBe(1);
    expect(pte_folio(pte(m, PARENT, 0))).toBe(pinned);
    expect(pte_write(pte(m, PARENT, 0))).toBe(false); // unshare keeps the write protection
    expect(flag(m, pinned, Pg.anon_exclusive)).toBe(true);
    expect(pte_folio(pte(m, CHILD, 0))).toBe(f);
    expect(mapcount(m, f)).toBe(1);
    user_store(c0, PARENT, 0, D1);
    expect(pte_folio(pte(m, PARENT, 0))).toBe(pinned);
    expect(data(m, pinned)).toBe(D1);
    expect(user_load(c0, CHILD, 0)).toBe(D0);
    expect(violation(m)).toBeNull();
  });

  it.each(WITH_UNSHARE)('%s: unsharing a page that is ours alone marks it exclusive in place; the PTE stays R/O', (kernel) => {
    const { m, c0, f } = forked(kernel);
    user_store(c0, CHILD, 0, D1); // the child copies; the parent's page is now mapped once, not exclusive
    lru_add_drain(c0);
    expect(flag(m, f, Pg.anon_exclusive)).toBe(false);
    expect(pin_user_pages(c0, PARENT, 0, FOLL_LONGTERM)).toBe(f);
    expect(countEvents(m, 0, S.wp_unshare_reuse, f)).toBe(1);
    expect(flag(m, f, Pg.anon_exclusive)).toBe(true);
    expect(pte_write(pte(m, PARENT, 0))).toBe(false);
    expect(violation(m)).toBeNull();
  });

  it('6.10 with gup-unshare=off: the shared page itself is pinned, as before 5.19', () => {
    const { m, c0, f } = forked('6.10', { 'gup-unshare': false });
    expect(pin_user_pages(c0, PARENT, 0, FOLL_LONGTERM)).toBe(f);
    expect(countEvents(m, 0, S.gup_must_unshare)).toBe(0);
    expect(violation(m)).toBeNull();
  });

  it.each(ALL)('%s: a FOLL_WRITE pin write-faults (COW) first and pins the private copy', (kernel) => {
    const { m, c0, f } = forked(kernel);
    const pinned = pin_user_pages(c0, PARENT, 0, FOLL_WRITE | FOLL_LONGTERM);
    expect(pinned).not.toBe(f);
    expect(pte_write(pte(m, PARENT, 0))).toBe(true);
    expect(data(m, pinned)).toBe(D0);
    expect(violation(m)).toBeNull();
  });
});

describe('releasing GUP references of a page unmapped meanwhile', () => {
  it.each(ALL)('%s: MADV_DONTNEED zaps a pinned page; unpin_folio then frees it', (kernel) => {
    const { m, c0 } = machine(kernel);
    const f = user_store(c0, PARENT, 0, D0);
    lru_add_drain(c0);
    expect(pin_user_pages(c0, PARENT, 0, 0)).toBe(f);
    madvise_dontneed(c0, PARENT, 0, 1);
    expect(pte(m, PARENT, 0)).toBe(0);
    expect(alive(m, f)).toBe(true); // the pin keeps it
    expect(violation(m)).toBeNull();
    unpin_folio(c0, f);
    expect(alive(m, f)).toBe(false);
    expect(violation(m)).toBeNull();
  });

  it.each(ALL)('%s: the same with a FOLL_GET reference and put_page', (kernel) => {
    const { m, c0 } = machine(kernel);
    const f = user_store(c0, PARENT, 0, D0);
    lru_add_drain(c0);
    expect(get_user_pages(c0, PARENT, 0)).toBe(f);
    madvise_dontneed(c0, PARENT, 0, 1);
    expect(alive(m, f)).toBe(true);
    put_page(c0, f);
    expect(alive(m, f)).toBe(false);
    expect(violation(m)).toBeNull();
  });
});

describe('fork() of a pinned page (copy_present_page, 70e806e4e645)', () => {
  it.each(ALL)('%s: the child gets its own copy; the parent keeps the pinned page writable, so the pin sees its writes', (kernel) => {
    const { m, c0 } = machine(kernel);
    const f = user_store(c0, PARENT, 0, D0);
    lru_add_drain(c0);
    expect(pin_user_pages(c0, PARENT, 0, FOLL_WRITE | FOLL_LONGTERM)).toBe(f);
    copy_page_range(c0, PARENT, CHILD);
    const copy = pte_folio(pte(m, CHILD, 0));
    expect(copy).not.toBe(f);
    expect(data(m, copy)).toBe(D0);
    expect(pte_folio(pte(m, PARENT, 0))).toBe(f);
    expect(pte_write(pte(m, PARENT, 0))).toBe(true);
    expect(mapcount(m, f)).toBe(1);
    user_store(c0, PARENT, 0, D1);
    expect(data(m, f)).toBe(D1);
    expect(user_load(c0, CHILD, 0)).toBe(D0);
    expect(violation(m)).toBeNull();
  });

  it.each(ALL)('%s: an unpinned page is still shared read-only', (kernel) => {
    const { m, f } = forked(kernel);
    expect(pte_folio(pte(m, CHILD, 0))).toBe(f);
    expect(pte_write(pte(m, PARENT, 0))).toBe(false);
  });
});

describe('GUP flags', () => {
  it.each(ALL)('%s: get_user_pages takes one reference (FOLL_GET) and touches the folio; put_page drops it', (kernel) => {
    const { m, c0 } = machine(kernel);
    const f = user_store(c0, PARENT, 0, D0);
    lru_add_drain(c0);
    expect(get_user_pages(c0, PARENT, 0)).toBe(f);
    expect(ref(m, f)).toBe(2);
    expect(fword(m, m.L.OBS_EXTRA, f)).toBe(1);
    expect(fword(m, m.L.OBS_PINS, f)).toBe(0);
    expect(flag(m, f, Pg.referenced)).toBe(true); // FOLL_TOUCH → folio_mark_accessed
    expect(violation(m)).toBeNull();
    put_page(c0, f);
    expect(ref(m, f)).toBe(1);
    expect(violation(m)).toBeNull();
  });

  it.each(ALL)('%s: FOLL_GET never unshares: a R/O get of a shared page takes the shared page', (kernel) => {
    const { m, c0, f } = forked(kernel);
    expect(get_user_pages(c0, PARENT, 0)).toBe(f);
    expect(countEvents(m, 0, S.gup_must_unshare)).toBe(0);
  });

  it.each(ALL)('%s: FOLL_LONGTERM without FOLL_PIN, and FOLL_GET with FOLL_PIN, are -EINVAL', (kernel) => {
    const { c0 } = machine(kernel);
    user_store(c0, PARENT, 0, D0);
    expect(get_user_pages(c0, PARENT, 0, FOLL_LONGTERM)).toBe(EINVAL);
    expect(pin_user_pages(c0, PARENT, 0, FOLL_GET)).toBe(EINVAL);
  });

  it.each(ALL)('%s: pin_user_pages has no FOLL_TOUCH, pin_user_pages_remote has: only the latter marks the folio accessed', (kernel) => {
    const { m, c0 } = machine(kernel);
    const f = user_store(c0, PARENT, 0, D0);
    lru_add_drain(c0);
    expect(pin_user_pages(c0, PARENT, 0, 0)).toBe(f);
    expect(flag(m, f, Pg.referenced)).toBe(false);
    expect(pin_user_pages_remote(c0, PARENT, 0, 0)).toBe(f);
    expect(flag(m, f, Pg.referenced)).toBe(true);
    expect(fword(m, m.L.OBS_PINS, f)).toBe(2);
  });

  it.each(ALL)('%s: follow_page_pte alone never faults: FOLL_WRITE on a R/O PTE is the kernel\'s NULL (EFAULT here)', (kernel) => {
    const { m, c0, f } = forked(kernel);
    expect(follow_page_pte(c0, PARENT, 0, FOLL_PIN | FOLL_WRITE)).toBe(EFAULT);
    expect(ref(m, f)).toBe(2);
  });
});

describe('GUP-fast', () => {
  it.each(ALL)('%s: a writable present page is taken without FOLL_TOUCH: PG_referenced only, no activation', (kernel) => {
    const { m, c0 } = machine(kernel);
    const f = user_store(c0, PARENT, 0, D0);
    lru_add_drain(c0);
    for (let i = 0; i < 2; i++) expect(pin_user_pages_fast(c0, PARENT, 0, FOLL_WRITE)).toBe(f);
    expect(countEvents(m, 0, S.gup_fast, f)).toBe(2);
    expect(flag(m, f, Pg.referenced)).toBe(true);
    expect(list(m, f)).toBe(Lru.INACTIVE_ANON);
    expect(flag(m, f, Pg.active)).toBe(false);
    expect(ref(m, f)).toBe(1 + 2 * GUP_PIN_COUNTING_BIAS);
    expect(get_user_pages_fast(c0, PARENT, 0)).toBe(f);
    expect(ref(m, f)).toBe(2 + 2 * GUP_PIN_COUNTING_BIAS);
    expect(violation(m)).toBeNull();
  });

  it.each(ALL)('%s: a swap PTE sends it to the slow path, which faults the page in', (kernel) => {
    const { m, c0 } = machine(kernel);
    swapOut(c0, user_store(c0, PARENT, 0, D0));
    const f = pin_user_pages_fast(c0, PARENT, 0, 0);
    expect(data(m, f)).toBe(D0);
    expect(countEvents(m, 0, S.gup_fast_fallback)).toBe(1);
    expect(countEvents(m, 0, S.faultin_page)).toBe(1);
    expect(violation(m)).toBeNull();
  });

  it.each(WITH_UNSHARE)('%s: a R/O pin of a shared page gives up (unshare) and the slow path unshares', (kernel) => {
    const { m, c0, f } = forked(kernel);
    const pinned = pin_user_pages_fast(c0, PARENT, 0, 0);
    expect(pinned).not.toBe(f);
    expect(ref(m, f)).toBe(1); // the fast path's grab was undone; the child's PTE is left
    expect(countEvents(m, 0, S.gup_must_unshare)).toBe(1);
    expect(violation(m)).toBeNull();
  });

  it.each(BEFORE_UNSHARE)('%s: a fork() after the pin read write_protect_seq makes it give up (57efa1fe5957)', (kernel) => {
    const m = testMachine(kernel, { ...CFG, mms: 3 });
    const [c0, c1] = cpusOf(m);
    const f = user_store(c0, PARENT, 0, D0);
    lru_add_drain(c0);
    copy_page_range(c0, PARENT, CHILD); // the parent's PTE is R/O now, so the second fork leaves it as it is
    before(c0, S.gup_fast, 1, () => copy_page_range(c1, PARENT, 2));
    expect(pin_user_pages_fast(c0, PARENT, 0, 0)).toBe(f);
    expect(traceValues(m, S.gup_fast_fallback)).toEqual([FastFallback.FORK]);
    expect(countEvents(m, 0, S.gup_fast)).toBe(0);
    expect(violation(m)).toBeNull();
  });

  it.each(ALL)('%s: without a fork in between, the same R/O pin is taken by the fast path', (kernel) => {
    const m = testMachine(kernel, { ...CFG, mms: 3 });
    const [c0] = cpusOf(m);
    const f = user_store(c0, PARENT, 0, D0);
    lru_add_drain(c0);
    expect(pin_user_pages_fast(c0, PARENT, 0, 0)).toBe(f);
    expect(traceValues(m, S.gup_fast_fallback)).toEqual([]);
  });
});
