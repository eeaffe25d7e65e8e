/**
 * cow.c "R/O-mapping a page registered as iouring fixed buffer" and "fork() with an iouring fixed
 * buffer" (do_test_iouring()), with a base page and with a swapped-out base page.
 *
 * The selftest registers the page as an io_uring fixed buffer (io_uring_register_buffers():
 * pin_user_pages(FOLL_WRITE | FOLL_LONGTERM)); then either maps it R/O and back R/W
 * (mprotect(PROT_READ), clear_softdirty(), mprotect(PROT_READ|PROT_WRITE)) or fork()s a child that
 * stays; writes 0xff through its page table; has io_uring write the buffer to a file (which reads
 * the pinned page) and compares. Pass: "Longterm R/W pin is reliable".
 *
 * Ported with a second CPU reclaiming while CPU0 runs the test, as in the R/O pin cases.
 * Kernel: R/O-mapping fails on 5.17 and 5.18 (the write fault copies the pinned page) and passes
 * from 5.19 (PG_anon_exclusive: the exclusive page is reused); fork() passes everywhere (a pinned
 * page is copied for the child at fork since v5.9, 70e806e4e645).
 */
import { kernel, type Scenario } from '../../scenario/index.js';
import { ADDR, CHILD, cowCase, MODIFIED, PARENT, portedCase, reclaimAgainst, runWithBasePage, type BaseKind } from './common.js';

type Outcome = 'Longterm R/W pin is reliable' | 'Longterm R/W pin is not reliable' | 'io_uring_register_buffers() failed';

const SEEN = 0;
const PINNED = 1;

function iouring(useFork: boolean, kind: BaseKind): Scenario<Outcome> {
  const desc = useFork ? 'fork() with an iouring fixed buffer' : 'R/O-mapping a page registered as iouring fixed buffer';
  return portedCase<Outcome>({
    c: cowCase(desc, kind),
    cpus: 2,
    outcomes: {
      'Longterm R/W pin is reliable': 'acceptable',
      'Longterm R/W pin is not reliable': 'forbidden',
      'io_uring_register_buffers() failed': 'forbidden',
    },
    setup(cpu) {
      runWithBasePage(cpu, kind);
    },
    actor(cpu, vars) {
      if (cpu.id !== 0) {
        reclaimAgainst(cpu);
        return;
      }
      const pin = kernel.pin_user_pages(cpu, PARENT, ADDR, kernel.FOLL_WRITE | kernel.FOLL_LONGTERM);
      if (pin < 0) return;
      vars.set(PINNED, 1);
      if (useFork) {
        kernel.copy_page_range(cpu, PARENT, CHILD);
      } else {
        kernel.mprotect(cpu, PARENT, ADDR, 1, kernel.PROT_READ);
        kernel.mprotect(cpu, PARENT, ADDR, 1, kernel.PROT_READ | kernel.PROT_WRITE, true); // after clear_softdirty()
      }
      kernel.user_store(cpu, PARENT, ADDR, MODIFIED);
      vars.set(SEEN, kernel.folioData(cpu, pin)); // io_uring_prep_write_fixed() reads the pinned page
      kernel.unpin_folio(cpu, pin);
    },
    check(_cpu, vars) {
      if (vars.get(PINNED) === 0) return 'io_uring_register_buffers() failed';
      return vars.get(SEEN) === MODIFIED ? 'Longterm R/W pin is reliable' : 'Longterm R/W pin is not reliable';
    },
  });
}

export const COW_IOURING: readonly Scenario[] = [false, true].flatMap((useFork) =>
  (['base page', 'swapped out base page'] as const).map((kind) => iouring(useFork, kind)));
