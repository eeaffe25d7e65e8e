// Models mm/migrate.c (v6.10) for small anon folios not in the swap cache: migrate_pages() in
// MIGRATE_SYNC mode with its retry budget (an async batch, then a sync batch), the expected-reference
// check that a reference parked in a per-CPU batch defeats, and putback of what could not move.
import { fetchOr, fetchSub, load, store } from '../shm/access.js';
import { EAGAIN, ENOMEM } from './errno.js';
import { FOLIO_STRIDE } from '../shm/layout.js';
import type { Cpu } from './cpu.js';
import { folio_lock, folio_unlock } from './locking.js';
import { mlock_vma_folio, VM_LOCKED } from './mlock.js';
import { Zone } from './page_alloc.js';
import { folio_flags, has, Pg } from './page-flags.js';
import { batch_refs_of } from './ref-holders.js';
import { folio_get } from './page_ref.js';
import { note_ref_holders } from './ref-holders.js';
import { mk_pte, PTE_WRITE } from './pgtable.js';
import { folio_add_anon_rmap_pte, is_migration_entry_of, rmap_walk, try_to_migrate } from './rmap.js';
import { S } from './sites.js';
import { folio_put } from './swap.js';
import { patchable } from './patchable.js';

/**
 * include/linux/migrate.h NR_MAX_MIGRATE_PAGES_RETRY (10), spent as mm/migrate.c (v6.3+) spends it:
 * a MIGRATE_ASYNC batch of NR_MAX_MIGRATE_ASYNC_RETRY passes, then a MIGRATE_SYNC batch of the rest.
 */
export const NR_MAX_MIGRATE_PAGES_RETRY = 10;
const NR_MAX_MIGRATE_ASYNC_RETRY = 3;
const BATCH_PASSES = [NR_MAX_MIGRATE_ASYNC_RETRY, NR_MAX_MIGRATE_PAGES_RETRY - NR_MAX_MIGRATE_ASYNC_RETRY];
export { EAGAIN, ENOMEM };

/** include/linux/mm.h folio_expected_ref_count() (v6.16), small anon folio: swap cache + mappings. */
export function folio_expected_ref_count(cpu: Cpu, folio: number): number {
  const { L } = cpu;
  const swapcache = has(load(cpu, L.FOLIO_FLAGS + folio * FOLIO_STRIDE), Pg.swapcache) ? 1 : 0;
  return swapcache + load(cpu, L.FOLIO_MAPCOUNT + folio * FOLIO_STRIDE);
}

/** Flags a migrated folio inherits (mm/migrate.c folio_migrate_flags()). */
const COPY_FLAGS = (1 << Pg.referenced) | (1 << Pg.active) | (1 << Pg.swapbacked) | (1 << Pg.dirty) |
  (1 << Pg.unevictable) | (1 << Pg.mlocked) | (1 << Pg.anon) | (1 << Pg.anon_exclusive);

/** mm/migrate.c remove_migration_ptes(): point `src`'s migration entries at `dst` (which may be `src`). */
export function remove_migration_ptes(cpu: Cpu, src: number, dst: number): void {
  const { L } = cpu;
  const { ptesPerMm } = L.config;
  rmap_walk(cpu, (pte) => is_migration_entry_of(pte, src), (at, pte) => {
    folio_get(cpu, dst);
    const slot = at - L.PTE;
    const mm = Math.floor(slot / ptesPerMm);
    folio_add_anon_rmap_pte(cpu, dst, mm, slot % ptesPerMm);
    mlock_vma_folio(cpu, dst, mm); // folio_add_anon_rmap_pte()'s tail
    cpu.preempt(S.remove_migration_pte);
    store(cpu, at, mk_pte(dst, pte & PTE_WRITE));
    cpu.trace(S.remove_migration_pte, dst, slot);
    if (load(cpu, L.VM_FLAGS + mm) & VM_LOCKED) patchable.mlock_drain_local(cpu);
  });
}

/**
 * mm/migrate.c folio_migrate_mapping()'s check: every reference must be one the migrator knows
 * of. On a mismatch, records (observation only) what held the unexpected reference.
 */
function refs_as_expected(cpu: Cpu, src: number): boolean {
  const { m, L } = cpu;
  cpu.preempt(S.migrate_ref_check);
  const ref = load(cpu, L.FOLIO_REF + src * FOLIO_STRIDE);
  const expected = patchable.folio_expected_ref_count(cpu, src) + 1; // + our isolation reference
  cpu.trace(ref === expected ? S.migrate_ref_check : S.migrate_ref_check_failed, src, ref);
  if (ref === expected) return true;
  const o = L.OBS_MIGRATE_FAIL;
  store(cpu, o, src);
  store(cpu, o + 1, ref);
  store(cpu, o + 2, expected);
  store(cpu, o + 3, batch_refs_of(m, L, src));
  note_ref_holders(m, L, src, ref);
  return false;
}

/**
 * One folio through one migration batch of `passes` passes (mm/migrate.c migrate_pages_batch()):
 * allocate the target, lock and unmap the source once (its PTEs hold migration entries meanwhile,
 * so a toucher waits), then retry only the reference check; on success move it, else restore the
 * PTEs. Returns 0, EAGAIN or ENOMEM. (The async batch trylocks the folio; we lock in both.)
 */
function migrate_folio_batch(cpu: Cpu, src: number, passes: number): number {
  const { L } = cpu;
  const dst = patchable.folio_alloc(cpu, Zone.NORMAL);
  if (dst < 0) return ENOMEM;
  folio_lock(cpu, src);
  if (has(folio_flags(cpu, src), Pg.swapcache)) throw new Error('not modelled: migrating a swap-cache folio');
  try_to_migrate(cpu, src);
  for (let pass = 0; pass < passes; pass++) {
    if (!refs_as_expected(cpu, src)) continue;
    // mm/migrate.c migrate_folio_move()
    store(cpu, L.FOLIO_DATA + dst * FOLIO_STRIDE, load(cpu, L.FOLIO_DATA + src * FOLIO_STRIDE));
    fetchOr(cpu, L.FOLIO_FLAGS + dst * FOLIO_STRIDE, folio_flags(cpu, src) & COPY_FLAGS);
    patchable.folio_add_lru(cpu, dst);
    remove_migration_ptes(cpu, src, dst);
    folio_unlock(cpu, src);
    fetchSub(cpu, L.OBS_ISOLATED + src * FOLIO_STRIDE, 1);
    folio_put(cpu, src); // the isolation reference: src is freed
    folio_put(cpu, dst); // the allocation reference
    return 0;
  }
  remove_migration_ptes(cpu, src, src);
  folio_unlock(cpu, src);
  folio_put(cpu, dst);
  return EAGAIN;
}

/**
 * mm/migrate.c migrate_pages(MIGRATE_SYNC): the async batch, then the sync batch, nothing drained
 * in between. Migrated folios leave `list`; returns how many failed (they stay on `list`, still
 * isolated), or ENOMEM if no target could be allocated.
 */
export function migrate_pages(cpu: Cpu, list: number[]): number {
  for (const passes of BATCH_PASSES) {
    for (let i = 0; i < list.length;) {
      const rc = migrate_folio_batch(cpu, list[i] as number, passes);
      if (rc === 0) list.splice(i, 1);
      else if (rc === ENOMEM) return ENOMEM;
      else i++;
    }
    if (list.length === 0) break;
  }
  cpu.trace(S.migrate_pages, -1, list.length);
  return list.length;
}

/** mm/migrate.c putback_movable_pages(): every folio left on the list goes back to the LRU. */
export function putback_movable_pages(cpu: Cpu, list: number[]): void {
  for (const folio of list) patchable.folio_putback_lru(cpu, folio);
  list.length = 0;
}
