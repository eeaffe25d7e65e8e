// Models kernel/fork.c dup_mmap() → mm/memory.c copy_page_range() → copy_pte_range() for one
// private anon mapping (KERNEL.md §2.9): the child gets every PTE of the parent; present pages
// are shared read-only (COW), swap entries gain a user, and the exclusive markers go.
import { fetchAdd, load, store } from '../shm/access.js';
import { FOLIO_STRIDE } from '../shm/layout.js';
import type { Cpu } from './cpu.js';
import { spin_lock, spin_unlock } from './locking.js';
import { allocAnonFolio, Zone } from './page_alloc.js';
import { folio_clear, folio_test, Pg } from './page-flags.js';
import { folio_get } from './page_ref.js';
import {
  is_migration_entry, is_swap_pte, mk_pte, pte_addr, pte_folio, pte_lockptr, pte_none, pte_present, PTE_DIRTY, PTE_SWP_EXCLUSIVE,
  PTE_WRITE, PTE_YOUNG, pte_swp_offset,
} from './pgtable.js';
import { folio_add_anon_rmap_pte, folio_maybe_dma_pinned } from './rmap.js';
import { S } from './sites.js';
import { swap_duplicate } from './swapfile.js';
import { patchable } from './patchable.js';

/**
 * mm/memory.c copy_present_page(): the child gets its own exclusive copy of a possibly pinned
 * page, mapped writable; the parent's PTE stays as it is, so the pin stays coherent with it.
 * Returns the child's PTE. (The kernel allocates before taking the PTLs; the model under them.)
 */
function copy_present_page(cpu: Cpu, src: number, child: number, addr: number): number {
  const { L } = cpu;
  const folio = allocAnonFolio(cpu, Zone.NORMAL, Pg.anon_exclusive);
  if (folio < 0) throw new Error('model bug: out of folios at fork (raise the scenario\'s machine.folios)');
  store(cpu, L.FOLIO_DATA + folio * FOLIO_STRIDE, load(cpu, L.FOLIO_DATA + src * FOLIO_STRIDE));
  folio_add_anon_rmap_pte(cpu, folio, child, addr);
  patchable.folio_add_lru(cpu, folio);
  return mk_pte(folio, PTE_WRITE | PTE_DIRTY | PTE_YOUNG);
}

/**
 * mm/memory.c copy_page_range(): `child`'s page table becomes a COW copy of `parent`'s, inside a
 * write section of the parent's write_protect_seq (57efa1fe5957, v5.11), which GUP-fast pins check.
 */
export function copy_page_range(cpu: Cpu, parent: number, child: number): void {
  const dst = pte_lockptr(cpu, child);
  const src = pte_lockptr(cpu, parent);
  const seq = cpu.L.WP_SEQ + parent;
  fetchAdd(cpu, seq, 1); // raw_write_seqcount_begin(): odd
  spin_lock(cpu, dst);
  spin_lock(cpu, src);
  for (let addr = 0; addr < cpu.L.config.ptesPerMm; addr++) {
    const from = pte_addr(cpu, parent, addr);
    const pte = load(cpu, from);
    if (pte_none(pte)) continue;
    let copy: number;
    if (is_migration_entry(pte)) {
      throw new Error('not modelled: fork() of a PTE under migration (stubs.ts)');
    } else if (is_swap_pte(pte)) {
      // copy_nonpresent_pte(): one more user of the slot; neither copy stays exclusive (1493a1913e34)
      swap_duplicate(cpu, pte_swp_offset(pte));
      if (pte & PTE_SWP_EXCLUSIVE) store(cpu, from, pte & ~PTE_SWP_EXCLUSIVE);
      copy = pte & ~PTE_SWP_EXCLUSIVE;
    } else if (pte_present(pte)) {
      // copy_present_pte(): share the page, write-protect both PTEs; the child's is old
      const folio = pte_folio(pte);
      const pinned = folio_maybe_dma_pinned(cpu, folio);
      const exclusive = cpu.k.anonExclusive && folio_test(cpu, folio, Pg.anon_exclusive);
      // since 70e806e4e645 (v5.9) a possibly pinned page is copied for the child at once; from
      // v5.19 only an exclusive one (folio_try_dup_anon_rmap_pte() is -EBUSY for it)
      if (pinned && (exclusive || !cpu.k.anonExclusive)) {
        copy = copy_present_page(cpu, folio, child, addr);
      } else {
        if (exclusive) folio_clear(cpu, folio, Pg.anon_exclusive);
        folio_get(cpu, folio);
        folio_add_anon_rmap_pte(cpu, folio, child, addr);
        if (pte & PTE_WRITE) store(cpu, from, pte & ~PTE_WRITE);
        copy = pte & ~(PTE_WRITE | PTE_YOUNG);
      }
    } else {
      continue;
    }
    cpu.preempt(S.copy_pte);
    store(cpu, pte_addr(cpu, child, addr), copy);
    cpu.trace(S.copy_pte, is_swap_pte(copy) ? -1 : pte_folio(copy), addr);
  }
  spin_unlock(cpu, src);
  spin_unlock(cpu, dst);
  fetchAdd(cpu, seq, 1); // raw_write_seqcount_end(): even again
}
