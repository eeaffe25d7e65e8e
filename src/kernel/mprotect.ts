// Models mm/mprotect.c (v6.10) for one private anon VMA spanning an mm's page table: mprotect()
// between PROT_READ and PROT_READ|PROT_WRITE → change_protection() → change_pte_range(). The
// model has no VMA flags (every mm is one writable private anon mapping), so PROT_READ only
// write-protects the present PTEs and PROT_READ|PROT_WRITE lets write faults through again.
import { load, store } from '../shm/access.js';
import type { Cpu } from './cpu.js';
import { spin_lock, spin_unlock } from './locking.js';
import { folio_test, Pg } from './page-flags.js';
import { pte_addr, pte_folio, pte_lockptr, pte_present, pte_write, PTE_WRITE } from './pgtable.js';
import { S } from './sites.js';

/** include/uapi/asm-generic/mman-common.h */
export const PROT_READ = 1;
export const PROT_WRITE = 2;

/**
 * mm/mprotect.c can_change_pte_writable() for a private mapping (v6.10): only the PTE of an
 * exclusive anonymous page may become writable without a write fault, and not while soft-dirty
 * tracking waits for that write fault (the PTE is not soft-dirty since clear_refs). Simplified:
 * no uffd-wp, no NUMA hinting PTEs; v6.0–v6.1 also required a dirty PTE (dropped in v6.2).
 */
function can_change_pte_writable(cpu: Cpu, pte: number, softDirtyArmed: boolean): boolean {
  if (softDirtyArmed) return false;
  return folio_test(cpu, pte_folio(pte), Pg.anon_exclusive);
}

/**
 * mm/mprotect.c mprotect() of pages [start, start + nr) of `mm` → change_pte_range() under the
 * PTL. PROT_READ write-protects every present PTE. PROT_READ|PROT_WRITE leaves PTEs read-only
 * (a private mapping's page protection has no write bit: COW decides at the write fault), except
 * that with switch mprotect-writable-exclusive (64fe24a3e05e, v6.0; MM_CP_TRY_CHANGE_WRITABLE)
 * the PTE of an exclusive anon page is made writable at once. `softDirtyArmed`: the process wrote
 * 4 to /proc/self/clear_refs after the PTE was last written (cow.c's clear_softdirty()).
 */
export function mprotect(cpu: Cpu, mm: number, start: number, nr: number, prot: number, softDirtyArmed = false): void {
  const ptl = pte_lockptr(cpu, mm);
  spin_lock(cpu, ptl);
  for (let addr = start; addr < start + nr; addr++) {
    const at = pte_addr(cpu, mm, addr);
    cpu.preempt(S.change_pte_range);
    const pte = load(cpu, at);
    if (!pte_present(pte)) continue; // swap and migration entries keep their own protection
    let next = pte & ~PTE_WRITE;
    if ((prot & PROT_WRITE) !== 0 && !pte_write(next) && cpu.k.mprotectWritableExclusive &&
        can_change_pte_writable(cpu, pte, softDirtyArmed)) {
      next |= PTE_WRITE;
    }
    if (next === pte) continue;
    store(cpu, at, next);
    cpu.trace(S.change_pte_range, pte_folio(pte), addr);
  }
  spin_unlock(cpu, ptl);
}
