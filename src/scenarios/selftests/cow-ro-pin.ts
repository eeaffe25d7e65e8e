/**
 * cow.c "R/O GUP[-fast] pin on R/O-mapped shared / previously-shared / exclusive page"
 * (do_test_ro_pin() with RO_PIN_TEST_SHARED, _PREVIOUSLY_SHARED, _RO_EXCLUSIVE), with a base page
 * and with a swapped-out base page.
 *
 * The selftest: the page holds 1 (swapped out for the second kind). Shared: fork(), the child
 * stays. Previously shared: fork(), the child exits. Exclusive: mprotect(PROT_READ),
 * clear_softdirty(), mprotect(PROT_READ|PROT_WRITE). Then gup_test pins the page R/O and
 * long-term (PIN_LONGTERM_TEST_START: pin_user_pages[_fast](FOLL_LONGTERM)), the process writes
 * 0xff through its page table, and reads the page back through the pin (PIN_LONGTERM_TEST_READ).
 * Pass: "Longterm R/O pin is reliable" (the pin sees the write).
 *
 * Ported with a second CPU reclaiming (two passes over the inactive lists) while CPU0 pins and
 * writes, so the page GUP faults in can be swapped out again under it:
 *   CPU0 (the test)                            CPU1 (kswapd)
 *   pin R/O, long-term (faults in, unshares)   reclaim: isolate, unmap, swap out, free
 *   store 0xff through the page table
 *   read through the pin; unpin
 * Kernel: fails on 5.17 and 5.18 (the write fault copies the pinned page: page_count != 1), passes
 * from 5.19 (the R/O pin unshares a possibly shared page first: a7f226604170, c89357e27f20).
 */
import { kernel, type Scenario } from '../../scenario/index.js';
import { ADDR, CHILD, cowCase, MODIFIED, PARENT, portedCase, reclaimAgainst, runWithBasePage, type BaseKind } from './common.js';

type Test = 'shared' | 'previously-shared' | 'exclusive';
type Outcome = 'Longterm R/O pin is reliable' | 'Longterm R/O pin is not reliable' | 'PIN_LONGTERM_TEST_START failed';

const SEEN = 0;
const PINNED = 1;

function roPin(test: Test, fast: boolean, kind: BaseKind): Scenario<Outcome> {
  const desc = `R/O GUP${fast ? '-fast' : ''} pin on R/O-mapped ${test} page`;
  return portedCase<Outcome>({
    c: cowCase(desc, kind),
    cpus: 2,
    outcomes: {
      'Longterm R/O pin is reliable': 'acceptable',
      'Longterm R/O pin is not reliable': 'forbidden',
      'PIN_LONGTERM_TEST_START failed': 'forbidden',
    },
    setup(cpu) {
      runWithBasePage(cpu, kind);
      if (test === 'exclusive') {
        kernel.mprotect(cpu, PARENT, ADDR, 1, kernel.PROT_READ);
        kernel.mprotect(cpu, PARENT, ADDR, 1, kernel.PROT_READ | kernel.PROT_WRITE, true); // after clear_softdirty()
      } else {
        kernel.copy_page_range(cpu, PARENT, CHILD); // fork()
        if (test === 'previously-shared') kernel.madvise_dontneed(cpu, CHILD, ADDR, 1); // the child exits
      }
    },
    actor(cpu, vars) {
      if (cpu.id !== 0) {
        reclaimAgainst(cpu);
        return;
      }
      const pin = fast ? kernel.pin_user_pages_fast(cpu, PARENT, ADDR, kernel.FOLL_LONGTERM)
        : kernel.pin_user_pages(cpu, PARENT, ADDR, kernel.FOLL_LONGTERM);
      if (pin < 0) return;
      vars.set(PINNED, 1);
      kernel.user_store(cpu, PARENT, ADDR, MODIFIED);
      vars.set(SEEN, kernel.folioData(cpu, pin));
      kernel.unpin_folio(cpu, pin);
    },
    check(_cpu, vars) {
      if (vars.get(PINNED) === 0) return 'PIN_LONGTERM_TEST_START failed';
      return vars.get(SEEN) === MODIFIED ? 'Longterm R/O pin is reliable' : 'Longterm R/O pin is not reliable';
    },
  });
}

export const COW_RO_PIN: readonly Scenario[] = (['shared', 'previously-shared', 'exclusive'] as const).flatMap((test) =>
  [false, true].flatMap((fast) => (['base page', 'swapped out base page'] as const).map((kind) => roPin(test, fast, kind))));
