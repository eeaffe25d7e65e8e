// Models mm/vmscan.c (v6.10): isolating a single folio from the LRU and putting it back.
import { FOLIO_STRIDE } from '../shm/layout.js';
import type { Cpu } from './cpu.js';
import { spin_lock, spin_unlock } from './locking.js';
import { lruvec_del_folio } from './mm_inline.js';
import { folio_test_clear, Pg } from './page-flags.js';
import { folio_get } from './page_ref.js';
import { S } from './sites.js';
import { folio_add_lru, folio_put, lru_lock_addr } from './swap.js';

/**
 * mm/vmscan.c folio_isolate_lru(): the caller holds a reference. Wins PG_lru or fails (the folio
 * is isolated already, sits in an lru_add batch, is mid-move in a drain, or — 6.11 — is queued
 * in a non-add batch).
 */
export function folio_isolate_lru(cpu: Cpu, folio: number): boolean {
  if (!folio_test_clear(cpu, folio, Pg.lru)) {
    cpu.trace(S.folio_isolate_lru_failed, folio, 0);
    return false;
  }
  folio_get(cpu, folio);
  Atomics.add(cpu.m, cpu.L.OBS_ISOLATED + folio * FOLIO_STRIDE, 1);
  spin_lock(cpu, lru_lock_addr(cpu));
  lruvec_del_folio(cpu, folio);
  spin_unlock(cpu, lru_lock_addr(cpu));
  cpu.trace(S.folio_isolate_lru, folio, 0);
  return true;
}

/** mm/vmscan.c folio_putback_lru(): back through this CPU's lru_add batch, then drop the isolation ref. */
export function folio_putback_lru(cpu: Cpu, folio: number): void {
  folio_add_lru(cpu, folio);
  Atomics.sub(cpu.m, cpu.L.OBS_ISOLATED + folio * FOLIO_STRIDE, 1);
  folio_put(cpu, folio);
}
