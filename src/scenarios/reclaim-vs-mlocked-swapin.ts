/**
 * Reclaim meets the page of a VM_LOCKED (MLOCK_ONFAULT) vma that a fault is bringing back from
 * swap: try_to_unmap_one() must refuse to unmap a VM_LOCKED mapping and mlock the folio instead
 * ("Restore the mlock which got missed"), or folio_referenced_one() mlocks it first (5.18+).
 *
 * Setup: P wrote D to X, X was swapped out and stays in the swap cache, clean, on the inactive
 *        anon list; then mlock2(MLOCK_ONFAULT) made P's vma VM_LOCKED without faulting X in.
 * Race:
 *   CPU0 (P)                                  CPU1 (kswapd)
 *   load: do_swap_page() maps X               shrink_inactive_list(): isolates X
 *     ≤5.17: not mlocked (folio_add_anon_rmap)  folio_referenced(): a VM_LOCKED mapping
 *     5.18+: mlocked (X was anon before);         5.18+: mlocks X; reclaim keeps it
 *     a fresh read (X freed first) is not       try_to_unmap(): try_to_unmap_one() meets
 *     mlocked from 6.11 (9ae2feacedde)            the VM_LOCKED vma: refuses, mlocks X
 *   If reclaim met X before it was mapped, X was only in the swap cache and may be freed; the
 *   fault then reads a new folio. Never may reclaim unmap a page of a VM_LOCKED vma.
 * Fix:    none needed: every mainline version refuses (rmap.c; the model lacked it before issue
 *         23). The versions differ in who mlocks and when (outcomes `mlocked` / `evictable`), not
 *         in the verdict.
 * Expect: never (no `swapped-out`) under every profile.
 * Kernel: mm/rmap.c try_to_unmap_one(), folio_referenced_one(); mm/vmscan.c shrink_folio_list();
 *         mm/memory.c do_swap_page(); mm/mlock.c.
 */
import { defineScenario, reclaimPass, swapOut, kernel } from '../scenario/index.js';

const P = 0;
const ADDR = 0;
const D = 0x5a;
const READ = 0;

export default defineScenario({
  name: 'reclaim-vs-mlocked-swapin',
  summary: 'reclaim meets a VM_LOCKED page being swapped back in: it must mlock it, never unmap it',
  seeds: ['KERNEL.md §1.4, §3.4: try_to_unmap_one() and VM_LOCKED (issue 23: declared missing in stubs.ts before)',
    'Barry Song, Jun 2024 "mm: use folio_add_new_anon_rmap() if folio_test_anon(folio)==false" → 9ae2feacedde'],
  cpus: 2,
  machine: { folios: 4, cmaFolios: 0, mms: 1, ptesPerMm: 1, swapSlots: 2 },
  outcomes: {
    'mlocked': 'acceptable',
    'evictable': 'interesting',
    'swapped-out': 'forbidden',
    'lost-data': 'forbidden',
  },
  before: '5.17',
  after: '7.3',
  expect: { '5.17': 'never', '5.18': 'never', '6.10': 'never', '6.11': 'never', '6.17': 'never', '7.3': 'never' },

  setup(cpu) {
    kernel.swapon(cpu, 0); // an asynchronous device: X stays in the swap cache after the write
    const x = kernel.do_anonymous_page(cpu, P, ADDR, kernel.Zone.NORMAL, D);
    swapOut(cpu, x, true);
    kernel.mlock_fixup(cpu, P, true); // MLOCK_ONFAULT: VM_LOCKED, X not faulted in
  },

  actor(cpu, vars) {
    if (cpu.id === 0) vars.set(READ, kernel.user_load(cpu, P, ADDR));
    else reclaimPass(cpu);
  },

  check(cpu, vars) {
    if (vars.get(READ) !== D) return 'lost-data';
    const x = kernel.mapped_folio(cpu, P, ADDR);
    if (x < 0) return 'swapped-out';
    return kernel.folioFlagNames(cpu, x).includes('mlocked') ? 'mlocked' : 'evictable';
  },
});
