/**
 * cow.c "Basic COW after fork()" and "Basic COW after fork() with mprotect() optimization"
 * (test_cow_in_parent[_mprotect] → do_test_cow_in_parent() with child_memcmp_fn()), with a base
 * page and with a swapped-out base page.
 *
 * The selftest: the parent's page holds 1 (swapped out for the second kind); fork(); the child
 * backs the page up and tells the parent; the parent (after mprotect(PROT_READ) and
 * mprotect(PROT_READ|PROT_WRITE) in the mprotect variant) writes 0xff; the child compares.
 * Pass: "No leak from parent into child".
 *
 * Ported with the child's second read racing the parent's write (the selftest orders them with a
 * pipe; correct COW must hold in every order), and the check reading what the child would read
 * after the parent's write (peek), as the selftest's memcmp() does:
 *   CPU0 (parent)                              CPU1 (child)
 *                                              old = load (faults the swap PTE in when swapped)
 *   wait for the child                         tell the parent
 *   [mprotect R/O, mprotect R/W]               now = load   ← races the store
 *   store 0xff (write fault: COW)
 * Kernel: every profile passes (fork COW by page_count since v5.9; mprotect() maps writable only
 * exclusive anon pages since v6.0, and fork made the page shared). See the catalogue's basis.
 */
import { kernel, type Scenario } from '../../scenario/index.js';
import { ADDR, CHILD, cowCase, MODIFIED, PARENT, portedCase, runWithBasePage, type BaseKind } from './common.js';

const OLD = 0;
const NOW = 1;
const CHILD_READY = 2;

type Outcome = 'No leak from parent into child' | 'Leak from parent into child';

function cowInParent(mprotect: boolean, kind: BaseKind): Scenario<Outcome> {
  const desc = mprotect ? 'Basic COW after fork() with mprotect() optimization' : 'Basic COW after fork()';
  return portedCase<Outcome>({
    c: cowCase(desc, kind),
    cpus: 2,
    outcomes: { 'No leak from parent into child': 'acceptable', 'Leak from parent into child': 'forbidden' },
    setup(cpu) {
      runWithBasePage(cpu, kind);
      kernel.copy_page_range(cpu, PARENT, CHILD); // fork()
    },
    actor(cpu, vars) {
      if (cpu.id === 0) {
        vars.await(CHILD_READY);
        if (mprotect) {
          kernel.mprotect(cpu, PARENT, ADDR, 1, kernel.PROT_READ);
          kernel.mprotect(cpu, PARENT, ADDR, 1, kernel.PROT_READ | kernel.PROT_WRITE);
        }
        kernel.user_store(cpu, PARENT, ADDR, MODIFIED);
      } else {
        vars.set(OLD, kernel.user_load(cpu, CHILD, ADDR));
        vars.post(CHILD_READY);
        vars.set(NOW, kernel.user_load(cpu, CHILD, ADDR));
      }
    },
    check(cpu, vars) {
      const old = vars.get(OLD);
      return vars.get(NOW) === old && kernel.peek_user(cpu, CHILD, ADDR) === old
        ? 'No leak from parent into child' : 'Leak from parent into child';
    },
  });
}

export const COW_IN_PARENT: readonly Scenario[] = [false, true].flatMap((mprotect) =>
  (['base page', 'swapped out base page'] as const).map((kind) => cowInParent(mprotect, kind)));
