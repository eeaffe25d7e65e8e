/**
 * Will Deacon's pKVM report (linux-kernel, 15 Aug 2025, "mm/gup: Drain batched mlock folio
 * processing before attempting migration"), the trigger of Hugh Dickins' 6.17 series: a long-term
 * pin of guest memory that was just faulted into a VM_LOCKED vma fails, because the folio's
 * reference sits in an mlock per-CPU batch, which never cleared PG_lru.
 *
 * Setup: crosvm's guest page X is in the swap cache (read in earlier, as swap readahead leaves
 *        pages), in CMA, clean, on the LRU (PG_lru); X's PTE is a swap PTE. crosvm has called
 *        mlock(MLOCK_ONFAULT) on guest memory: VM_LOCKED | VM_LOCKONFAULT.
 * Race (6.11–6.16; and 6.10):
 *   CPU1 (where X was faulted)                CPU0 (the vCPU thread's stage-2 fault, later)
 *   fault on X: do_swap_page() finds the
 *     swap-cache folio, frees its slot
 *     (VM_LOCKED), maps it:
 *     folio_add_anon_rmap_pte() →
 *     mlock_vma_folio() → mlock_folio():
 *     folio_get, X in CPU1's mlock batch;
 *     PG_lru stays set
 *                                             pin_user_pages(FOLL_LONGTERM) of X: collect sees
 *                                               PG_lru → no drain; isolation succeeds;
 *                                               try_to_migrate() drains CPU0's mlock batch only;
 *                                               ref 3 ≠ expected 2 on every pass → -ENOMEM: the
 *                                               VM terminates
 * Fix:    98c6d259319e (v6.17, switch gup-drain-refcount): drain when the refcount is not the
 *         expected one, locally first (a09a8a1fbb37), then on every CPU: CPU1's mlock batch is
 *         processed by its lru_add_drain_all() work. Hugh Dickins: mlock batching (5.18,
 *         2fbb0c10d1e8) and 33dfe9204f29 are "fundamentally incompatible", so 6.17 reverts the
 *         latter and fixes GUP instead.
 * Model:  Will's pin faulted X in itself (faultin_page() → handle_mm_fault()). The model does that
 *         too (test/unit/kernel/mlock-vma.test.ts), and then the pin migrates X in every profile:
 *         try_to_migrate_one() runs mlock_drain_local() for a VM_LOCKED vma, which empties the
 *         faulting CPU's own mlock batch before the reference check. So the batch that fails the
 *         migration must be another CPU's: here CPU1's access faults X in and CPU0's pin follows
 *         (staged with post/await) [infer: Will's vCPU thread faulted on one CPU and migrated on
 *         another, or another thread faulted X; his traces show a folio already on the LRU,
 *         which is what makes the PG_lru test miss it; a new folio (mlock_new_folio) has PG_lru
 *         clear, and 6.16 drains for it].
 * Source: Will Deacon's patch mail, Hugh Dickins' reply of 28 Aug 2025 (the portmanteau patch);
 *         mm/rmap.c __folio_add_anon_rmap() → mlock_vma_folio(), try_to_migrate_one() →
 *         mlock_drain_local() (see docs/corpus.md for where each was read).
 * Expect: found under 6.16 (and 5.18 to 6.14); never under 6.17 and 7.3, nor under 5.17, which has no
 *         mlock batch (2fbb0c10d1e8 is v5.18) and does not mlock at swap-in at all.
 * Kernel: mm/memory.c do_swap_page(); mm/mlock.c mlock_folio(); mm/gup.c collect_longterm_unpinnable_folios().
 */
import { defineScenario, kernel, swapOut } from '../scenario/index.js';

const MM = 0;
const X = 0;
const D0 = 0x9a;
const PIN_RC = 0;
const READ = 1;
/** Step posted by CPU1 once X is faulted in. */
const FAULTED = 2;

export default defineScenario({
  name: 'gup-pin-mlocked-fault',
  summary: 'pKVM: a long-term pin of a page just faulted into a VM_LOCKED vma (its ref in the mlock batch)',
  seeds: ['Will Deacon, Aug 2025 "mm/gup: Drain batched mlock folio processing before attempting migration"',
    'Hugh Dickins 2025 "mm: better GUP pin lru_add_drain_all()" → 98c6d259319e, a09a8a1fbb37'],
  cpus: 2,
  machine: { folios: 8, cmaFolios: 2, mms: 1, ptesPerMm: 1, swapSlots: 2 },
  outcomes: {
    'pinned-after-migration': 'acceptable',
    'pin-failed-mlock-batch-ref': 'forbidden',
    'pin-failed-other': 'forbidden',
    'pinned-unpinnable': 'forbidden',
    'wrong-data': 'forbidden',
  },
  before: '6.16',
  after: '6.17',
  expect: { '5.17': 'never', '5.18': 'found', '6.10': 'found', '6.11': 'found', '6.14': 'found', '6.16': 'found',
    '6.17': 'never', '7.3': 'never' },

  setup(cpu) {
    kernel.swapon(cpu, 0);
    const folio = kernel.do_anonymous_page(cpu, MM, X, kernel.Zone.CMA, D0);
    swapOut(cpu, folio, true); // written, clean, still in the swap cache and on the LRU
    kernel.mlock_fixup(cpu, MM, true); // mlock2(MLOCK_ONFAULT)
  },

  actor(cpu, vars) {
    if (cpu.id === 1) {
      vars.set(READ, kernel.user_load(cpu, MM, X));
      vars.post(FAULTED);
      return;
    }
    vars.await(FAULTED);
    vars.set(PIN_RC, kernel.pin_user_pages(cpu, MM, X));
  },

  check(cpu, vars) {
    if (vars.get(READ) !== D0) return 'wrong-data';
    const rc = vars.get(PIN_RC);
    if (rc >= 0) return kernel.folio_is_longterm_pinnable(cpu, rc) ? 'pinned-after-migration' : 'pinned-unpinnable';
    return Atomics.load(cpu.m, cpu.L.OBS_MIGRATE_FAIL + 3) > 0 ? 'pin-failed-mlock-batch-ref' : 'pin-failed-other';
  },
});
