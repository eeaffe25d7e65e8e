// Models kernel/fork.c dup_mmap() → mm/memory.c copy_page_range() → copy_pte_range() for one
// private anon mapping (KERNEL.md §2.9): the child gets every PTE of the parent; present pages
// are shared read-only (COW), swap entries gain a user, and the exclusive markers go.
import type { Cpu } from './cpu.js';
import { spin_lock, spin_unlock } from './locking.js';
import { folio_clear, folio_test, Pg } from './page-flags.js';
import { copy_present_page } from './fork-pinned.js';
import { folio_get } from './page_ref.js';
import {
  is_migration_entry, is_swap_pte, pte_addr, pte_folio, pte_lockptr, pte_none, pte_present, PTE_SWP_EXCLUSIVE,
  PTE_WRITE, PTE_YOUNG, pte_swp_offset,
} from './pgtable.js';
import { folio_add_anon_rmap_pte, folio_maybe_dma_pinned } from './rmap.js';
import { S } from './sites.js';
import { swap_duplicate } from './swapfile.js';

/**
 * mm/memory.c copy_page_range(): `child`'s page table becomes a COW copy of `parent`'s, inside a
 * write section of the parent's write_protect_seq (57efa1fe5957, v5.11), which GUP-fast pins check.
 */
export function copy_page_range(cpu: Cpu, parent: number, child: number): void {
  const { m } = cpu;
  const dst = pte_lockptr(cpu, child);
  const src = pte_lockptr(cpu, parent);
  const seq = cpu.L.WP_SEQ + parent;
  Atomics.add(m, seq, 1); // raw_write_seqcount_begin(): odd
  spin_lock(cpu, dst);
  spin_lock(cpu, src);
  for (let addr = 0; addr < cpu.L.config.ptesPerMm; addr++) {
    const from = pte_addr(cpu, parent, addr);
    const pte = Atomics.load(m, from);
    if (pte_none(pte)) continue;
    let copy: number;
    if (is_migration_entry(pte)) {
      throw new Error('not modelled: fork() of a PTE under migration (stubs.ts)');
    } else if (is_swap_pte(pte)) {
      // copy_nonpresent_pte(): one more user of the slot; neither copy stays exclusive (1493a1913e34)
      swap_duplicate(cpu, pte_swp_offset(pte));
      if (pte & PTE_SWP_EXCLUSIVE) Atomics.store(m, from, pte & ~PTE_SWP_EXCLUSIVE);
      copy = pte & ~PTE_SWP_EXCLUSIVE;
    } else if (pte_present(pte)) {
      // copy_present_pte(): share the page, write-protect both PTEs; the child's is old
      const folio = pte_folio(pte);
      if (folio_maybe_dma_pinned(cpu, folio)) {
        copy = copy_present_page(cpu, child, addr, folio); // since 70e806e4e645 (v5.9)
      } else {
        if (cpu.k.anonExclusive && folio_test(cpu, folio, Pg.anon_exclusive)) folio_clear(cpu, folio, Pg.anon_exclusive);
        folio_get(cpu, folio);
        folio_add_anon_rmap_pte(cpu, folio, child, addr);
        if (pte & PTE_WRITE) Atomics.store(m, from, pte & ~PTE_WRITE);
        copy = pte & ~(PTE_WRITE | PTE_YOUNG);
      }
    } else {
      continue;
    }
    cpu.preempt(S.copy_pte);
    Atomics.store(m, pte_addr(cpu, child, addr), copy);
    cpu.trace(S.copy_pte, is_swap_pte(copy) ? -1 : pte_folio(copy), addr);
  }
  spin_unlock(cpu, src);
  spin_unlock(cpu, dst);
  Atomics.add(m, seq, 1); // raw_write_seqcount_end(): even again
}
