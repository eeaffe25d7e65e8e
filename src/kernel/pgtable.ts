// Models the pte_t encodings the paths need (arch/x86/include/asm/pgtable*.h, include/linux/swapops.h):
// a present PTE maps a folio; a non-present one holds a swap or migration entry. One page table per
// mm, `ptesPerMm` entries, protected by that mm's PTL.
import { exchange, load, store } from '../shm/access.js';
import type { Cpu } from './cpu.js';

export const PTE_PRESENT = 1 << 30;
export const PTE_WRITE = 1 << 29;
export const PTE_DIRTY = 1 << 28;
export const PTE_YOUNG = 1 << 27;
/** Non-present entries. */
export const PTE_SWAP = 1 << 26;
export const PTE_SWP_EXCLUSIVE = 1 << 25;
export const PTE_MIGRATION = 1 << 24;
const PFN_MASK = (1 << 24) - 1;
/** Hardware bits a user access sets without a fault (the accessed and dirty bits). */
export const PTE_HW_BITS = PTE_DIRTY | PTE_YOUNG;

export function pte_none(pte: number): boolean { return pte === 0; }
export function pte_present(pte: number): boolean { return (pte & PTE_PRESENT) !== 0; }
export function is_migration_entry(pte: number): boolean { return (pte & PTE_MIGRATION) !== 0; }
/** The folio of a present PTE or of a migration entry. */
export function pte_folio(pte: number): number { return pte & PFN_MASK; }
export function mk_pte(folio: number, bits: number): number { return (folio & PFN_MASK) | PTE_PRESENT | bits; }
/** include/linux/swapops.h make_migration_entry(): remembers writability. */
export function make_migration_entry(folio: number, writable: boolean): number {
  return (folio & PFN_MASK) | PTE_MIGRATION | (writable ? PTE_WRITE : 0);
}

/** include/linux/swapops.h swp_entry_to_pte() + pte_swp_mkexclusive(): a swap PTE for `slot`. */
export function swp_entry_to_pte(slot: number, exclusive: boolean): number {
  return (slot & PFN_MASK) | PTE_SWAP | (exclusive ? PTE_SWP_EXCLUSIVE : 0);
}
export function is_swap_pte(pte: number): boolean { return (pte & PTE_SWAP) !== 0; }
/** The swap slot (swp_offset) of a swap PTE. */
export function pte_swp_offset(pte: number): number { return pte & PFN_MASK; }
/** arch pte_swp_exclusive(): the PG_anon_exclusive marker of a swap PTE (1493a1913e34). */
export function pte_swp_exclusive(pte: number): boolean { return (pte & PTE_SWP_EXCLUSIVE) !== 0; }
export function pte_write(pte: number): boolean { return (pte & PTE_WRITE) !== 0; }
export function pte_dirty(pte: number): boolean { return (pte & PTE_DIRTY) !== 0; }
export function pte_young(pte: number): boolean { return (pte & PTE_YOUNG) !== 0; }

/** Word index of pte `addr` of `mm`, and of the mm's page table lock. */
export function pte_addr(cpu: Cpu, mm: number, addr: number): number {
  return cpu.L.PTE + mm * cpu.L.config.ptesPerMm + addr;
}
export function pte_lockptr(cpu: Cpu, mm: number): number {
  return cpu.L.PTL + mm;
}

/**
 * ptep_get_and_clear() of the PTE word `at` (caller holds the PTL): its old value; the entry is
 * cleared. x86 (SMP) does it with one locked xchg (arch/x86/include/asm/pgtable_64.h), a full
 * barrier; arm64 with xchg_relaxed. An architecture without __HAVE_ARCH_PTEP_GET_AND_CLEAR takes
 * include/linux/pgtable.h's generic one (switch ptep-get-and-clear-generic): a read, then
 * pte_clear(), a plain store that may wait in a store buffer.
 */
export function ptep_get_and_clear(cpu: Cpu, at: number): number {
  if (!cpu.k.ptepGetAndClearGeneric) return exchange(cpu, at, 0);
  const old = load(cpu, at);
  store(cpu, at, 0);
  return old;
}
