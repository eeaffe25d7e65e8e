/**
 * cow.c's vmsplice() cases, with a base page and with a swapped-out base page:
 *   "vmsplice() + unmap in child" [with mprotect() optimization] (child_vmsplice_memcmp_fn()):
 *     after fork() the child vmsplice()s the page into a pipe and unmaps it; the parent writes
 *     0xff; the child reads the pipe. Pass: "No leak from parent into child" (CVE-2020-29374).
 *   "vmsplice() before fork(), unmap in parent after fork()" and "vmsplice() + unmap in parent
 *     after fork()" (do_test_vmsplice_in_parent()): the parent vmsplice()s before or after fork(),
 *     unmaps; the child writes 0xff; the parent reads the pipe. Pass: "No leak from child into parent".
 *
 * vmsplice() takes FOLL_GET references (get_user_pages_fast() without FOLL_WRITE) that the pipe
 * holds; reading the pipe reads those pages. munmap() of the one-page mapping zaps its PTE.
 * Ported with the unmapping racing the other process's write (the selftest orders them with a
 * pipe; no order may leak). The reference is taken before the write it must not see.
 * Kernel: passes everywhere here: a write fault copies a page with page_count != 1 (v5.9).
 */
import { kernel, type Cpu, type OutcomeKind, type Scenario, type ScenarioVars } from '../../scenario/index.js';
import { ADDR, CHILD, cowCase, MODIFIED, PARENT, POPULATED, portedCase, runWithBasePage, type BaseKind } from './common.js';

type Test = 'in child' | 'in child with mprotect' | 'before fork' | 'after fork';
type Direction = 'parent into child' | 'child into parent';
type Outcome = `No leak from ${Direction}` | `Leak from ${Direction}` | 'vmsplice() failed';

const DESC: Record<Test, string> = {
  'in child': 'vmsplice() + unmap in child',
  'in child with mprotect': 'vmsplice() + unmap in child with mprotect() optimization',
  'before fork': 'vmsplice() before fork(), unmap in parent after fork()',
  'after fork': 'vmsplice() + unmap in parent after fork()',
};

// vars
const PIPE = 0; // the folio the pipe references, + 1 (0: vmsplice() failed)
const SEEN = 1;
const PINNED = 2;
const WRITTEN = 3;

/** vmsplice(): the pipe takes a FOLL_GET reference on the page (iov_iter_get_pages2()). */
function vmsplice(cpu: Cpu, vars: ScenarioVars, mm: number): void {
  const folio = kernel.get_user_pages_fast(cpu, mm, ADDR, 0);
  vars.set(PIPE, folio < 0 ? 0 : folio + 1);
}

/** Reads the pipe: what the referenced page holds now; the pipe's reference goes. */
function readPipe(cpu: Cpu, vars: ScenarioVars): void {
  const folio = vars.get(PIPE) - 1;
  if (folio < 0) return;
  vars.set(SEEN, kernel.folioData(cpu, folio));
  kernel.put_page(cpu, folio);
}

function vmspliceCase(test: Test, kind: BaseKind): Scenario<Outcome> {
  const inChild = test.startsWith('in child');
  const dir: Direction = inChild ? 'parent into child' : 'child into parent';
  const outcomes = { [`No leak from ${dir}`]: 'acceptable', [`Leak from ${dir}`]: 'forbidden', 'vmsplice() failed': 'forbidden' } as
    Record<Outcome, OutcomeKind>; // only this direction's two names, as the selftest prints them
  return portedCase<Outcome>({
    c: cowCase(DESC[test], kind),
    cpus: 2,
    outcomes,
    setup(cpu, vars) {
      runWithBasePage(cpu, kind);
      if (test === 'before fork') vmsplice(cpu, vars, PARENT);
      kernel.copy_page_range(cpu, PARENT, CHILD); // fork()
    },
    actor(cpu, vars) {
      const splicer = inChild ? 1 : 0; // the process that vmsplice()s, unmaps and reads the pipe
      const me = cpu.id === 0 ? PARENT : CHILD;
      if (cpu.id === splicer) {
        if (test !== 'before fork') vmsplice(cpu, vars, me);
        vars.post(PINNED);
        kernel.madvise_dontneed(cpu, me, ADDR, 1); // munmap()
        vars.await(WRITTEN);
        readPipe(cpu, vars);
      } else {
        vars.await(PINNED);
        if (test === 'in child with mprotect') {
          kernel.mprotect(cpu, me, ADDR, 1, kernel.PROT_READ);
          kernel.mprotect(cpu, me, ADDR, 1, kernel.PROT_READ | kernel.PROT_WRITE);
        }
        kernel.user_store(cpu, me, ADDR, MODIFIED);
        vars.post(WRITTEN);
      }
    },
    check(_cpu, vars) {
      if (vars.get(PIPE) === 0) return 'vmsplice() failed';
      return vars.get(SEEN) === POPULATED ? `No leak from ${dir}` : `Leak from ${dir}`;
    },
  });
}

export const COW_VMSPLICE: readonly Scenario[] = (['in child', 'in child with mprotect', 'before fork', 'after fork'] as const)
  .flatMap((test) => (['base page', 'swapped out base page'] as const).map((kind) => vmspliceCase(test, kind)));
