// Models the 2026 mm tree's MADV_FREE batch (linux-mm/linux-mm mm/folio.c @ 0a99d0b06974, a 7.3-rc5
// tree; switch lazyfree-caller-batch): folio_mark_lazyfree() adds to a batch the caller owns, with
// no reference of its own, and fbatch_drain_lazyfree() moves what it holds before the caller drops
// the page-table lock, the last moment the folios are certainly alive. There is no per-CPU
// lru_lazyfree batch, so no reference of MADV_FREE waits on any CPU after madvise() returns.
import type { Cpu } from './cpu.js';
import { spin_lock, spin_unlock } from './locking.js';
import { folio_flags, folio_set, folio_test_clear, has, Pg } from './page-flags.js';
import { folio_try_get } from './page_ref.js';
import { folio_put, lru_lazyfree, lru_lock_addr } from './swap.js';

/** mm/folio.c folio_mark_lazyfree(fbatch, folio) (7.3-rc5 tree): `batch` is the caller's. */
export function folio_mark_lazyfree_batch(cpu: Cpu, batch: number[], folio: number): void {
  const flags = folio_flags(cpu, folio);
  if (!has(flags, Pg.anon) || !has(flags, Pg.swapbacked) || !has(flags, Pg.lru) || has(flags, Pg.swapcache) ||
      has(flags, Pg.unevictable)) return;
  batch.push(folio);
}

/**
 * mm/folio.c fbatch_drain_lazyfree() → folio_batch_move_lru(lru_lazyfree) (7.3-rc5 tree), caller
 * holding the PTL: each folio is pinned for the move by folio_try_get(), moved if it wins PG_lru,
 * and put again.
 */
export function fbatch_drain_lazyfree(cpu: Cpu, batch: number[]): void {
  let locked = false;
  const held: number[] = [];
  for (const folio of batch) {
    if (!folio_try_get(cpu, folio)) continue;
    held.push(folio);
    if (folio_test_clear(cpu, folio, Pg.lru)) {
      if (!locked) { spin_lock(cpu, lru_lock_addr(cpu)); locked = true; }
      lru_lazyfree(cpu, folio);
      folio_set(cpu, folio, Pg.lru);
    }
  }
  if (locked) spin_unlock(cpu, lru_lock_addr(cpu));
  for (const folio of held) folio_put(cpu, folio);
  batch.length = 0;
}
