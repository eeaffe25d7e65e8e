// Models mm/rmap.c (v6.10) for small anon folios: mapcount bookkeeping and try_to_migrate(). The
// rmap walk scans every mm's page table under its PTL (our anon_vma: small tables, exact answer).
import { FOLIO_STRIDE } from '../shm/layout.js';
import type { Cpu } from './cpu.js';
import { spin_lock, spin_unlock } from './locking.js';
import { is_migration_entry, make_migration_entry, pte_addr, pte_folio, pte_lockptr, pte_present, PTE_WRITE } from './pgtable.js';
import { S } from './sites.js';
import { folio_put } from './swap.js';

/** mm/rmap.c folio_add_anon_rmap_pte(): one more PTE maps the folio (caller holds the PTL). */
export function folio_add_anon_rmap_pte(cpu: Cpu, folio: number, mm: number, addr: number): void {
  cpu.preempt(S.folio_add_rmap);
  const { m, L } = cpu;
  const mapcount = Atomics.add(m, L.FOLIO_MAPCOUNT + folio * FOLIO_STRIDE, 1) + 1;
  if (mapcount === 1) {
    Atomics.store(m, L.FOLIO_MM + folio * FOLIO_STRIDE, mm);
    Atomics.store(m, L.FOLIO_INDEX + folio * FOLIO_STRIDE, addr);
  }
  cpu.trace(S.folio_add_rmap, folio, mapcount);
}

/** mm/rmap.c folio_remove_rmap_pte(). */
export function folio_remove_rmap_pte(cpu: Cpu, folio: number): void {
  cpu.preempt(S.folio_remove_rmap);
  const mapcount = Atomics.sub(cpu.m, cpu.L.FOLIO_MAPCOUNT + folio * FOLIO_STRIDE, 1) - 1;
  cpu.trace(S.folio_remove_rmap, folio, mapcount);
}

/**
 * Calls `visit(pteWord, pte)` for every PTE of every mm for which `match(pte)` holds, with that mm's
 * PTL held (mm/rmap.c rmap_walk() in our page-table-scan form).
 */
export function rmap_walk(cpu: Cpu, match: (pte: number) => boolean, visit: (at: number, pte: number) => void): void {
  const { mms, ptesPerMm } = cpu.L.config;
  for (let mm = 0; mm < mms; mm++) {
    const ptl = pte_lockptr(cpu, mm);
    spin_lock(cpu, ptl);
    for (let a = 0; a < ptesPerMm; a++) {
      const at = pte_addr(cpu, mm, a);
      const pte = Atomics.load(cpu.m, at);
      if (match(pte)) visit(at, pte);
    }
    spin_unlock(cpu, ptl);
  }
}

/** mm/rmap.c try_to_migrate(): replace each PTE of the (locked) folio with a migration entry. */
export function try_to_migrate(cpu: Cpu, folio: number): void {
  rmap_walk(cpu, (pte) => pte_present(pte) && pte_folio(pte) === folio, (at, pte) => {
    cpu.preempt(S.try_to_migrate_one);
    Atomics.store(cpu.m, at, make_migration_entry(folio, (pte & PTE_WRITE) !== 0));
    cpu.trace(S.try_to_migrate_one, folio, at - cpu.L.PTE);
    folio_remove_rmap_pte(cpu, folio);
    folio_put(cpu, folio);
  });
}

/** True for a migration entry of `folio`. */
export function is_migration_entry_of(pte: number, folio: number): boolean {
  return is_migration_entry(pte) && pte_folio(pte) === folio;
}
