// What a bench CPU does in a rep: queue its pending folios, the operations the bench times, and
// the background load that runs meanwhile. All on one simulated CPU, through the model.
import { FOLIO_STRIDE } from '../shm/layout.js';
import type { Cpu } from '../kernel/cpu.js';
import { FOLL_TOUCH } from '../kernel/gup.js';
import { Zone } from '../kernel/page_alloc.js';
import { folio_set, Pg } from '../kernel/page-flags.js';
import { simCharge, SimCost } from '../kernel/sim-time.js';
import type { Op } from './control.js';
import { COPY_SOURCE, fillFolio, GUP_MM, trafficFolio, trafficFolios } from './population.js';
import { patchable } from '../kernel/patchable.js';

/** Queues `n` of this CPU's fill folios in its lru_add batch (n < the batch size: no flush). */
export function fillBatch(cpu: Cpu, n: number): void {
  for (let i = 0; i < n; i++) patchable.folio_add_lru(cpu, fillFolio(cpu, cpu.id, i));
}

/**
 * The alternative to draining: copy the page instead of waiting for batch references to go, as
 * mm/memory.c wp_page_copy() (v6.10) does with the LRU: allocate, copy the contents, queue the
 * new page in this CPU's lru_add batch (which flushes when that fills it). The page-table switch
 * and the release of the old page are left out: they cost the same whichever way is chosen.
 */
export function copyPage(cpu: Cpu): void {
  const f = patchable.folio_alloc(cpu, Zone.NORMAL);
  if (f < 0) throw new Error('internal error: no free folio for the copy (this is a bug in foliorace)');
  Atomics.store(cpu.m, cpu.L.FOLIO_DATA + f * FOLIO_STRIDE, Atomics.load(cpu.m, cpu.L.FOLIO_DATA + COPY_SOURCE * FOLIO_STRIDE));
  simCharge(cpu, SimCost.COPY_PAGE);
  folio_set(cpu, f, Pg.anon);
  folio_set(cpu, f, Pg.swapbacked);
  patchable.folio_add_lru(cpu, f);
}

/** Pins every page of the gup machine with FOLL_LONGTERM, in address order. */
export function pinAll(cpu: Cpu): { ok: number; failed: number } {
  let ok = 0;
  const pages = cpu.L.config.ptesPerMm;
  for (let addr = 0; addr < pages; addr++) if (patchable.pin_user_pages(cpu, GUP_MM, addr) >= 0) ok++;
  return { ok, failed: pages - ok };
}

/** The timed operation of a caller. */
export function runOp(cpu: Cpu, op: Op): { ok: number; failed: number } | null {
  switch (op) {
    case 'drain': patchable.lru_add_drain(cpu); return null;
    case 'drain-all': case 'drain-all-storm': patchable.lru_add_drain_all(cpu); return null;
    case 'copy': copyPage(cpu); return null;
    case 'gup-pin': return pinAll(cpu);
  }
}

/**
 * Background load, step `i`: on a drain machine, activation traffic over this CPU's traffic
 * folios (a pass of folio_activate, then a pass of folio_deactivate: the batches fill and flush);
 * on a gup machine, a FOLL_TOUCH lookup of page i (the second touch of a page activates it).
 */
export function trafficStep(cpu: Cpu, op: Op, i: number): void {
  if (op === 'gup-pin') {
    patchable.follow_page_pte(cpu, GUP_MM, (i + cpu.id * 7) % cpu.L.config.ptesPerMm, FOLL_TOUCH);
    return;
  }
  const n = trafficFolios(cpu);
  const f = trafficFolio(cpu, cpu.id, i);
  if (i % (2 * n) < n) patchable.folio_activate(cpu, f);
  else patchable.folio_deactivate(cpu, f);
}
