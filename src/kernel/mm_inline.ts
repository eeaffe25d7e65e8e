// Models include/linux/mm_inline.h (v6.10): which LRU list a folio belongs on, and the list
// operations. Callers hold lru_lock; one lruvec (no memcg, one node).
//
// LRU_NEXT, LRU_PREV, LRU_SIZE and OBS_LIST are owned by the lru_lock holder: they are written
// and read only under lru_lock (or at quiescence by the invariant check), and the lock's
// Atomics acquire/release order them, so plain accesses are enough here (shm/access.ts loadPlain, storePlain).
import { loadPlain, storePlain } from '../shm/access.js';
import type { Cpu } from './cpu.js';
import { Lru, FOLIO_STRIDE } from '../shm/layout.js';
import { folio_flags, has, Pg } from './page-flags.js';
import { S } from './sites.js';

/** include/linux/mm_inline.h folio_lru_list(), from an already-read flag word. */
export function folio_lru_list(flags: number): number {
  if (has(flags, Pg.unevictable)) return Lru.UNEVICTABLE;
  const base = has(flags, Pg.swapbacked) ? Lru.INACTIVE_ANON : Lru.INACTIVE_FILE;
  return has(flags, Pg.active) ? base + 1 : base;
}

function link(cpu: Cpu, folio: number, prev: number, next: number): void {
  const { L } = cpu;
  storePlain(cpu, L.LRU_NEXT + folio * FOLIO_STRIDE, next);
  storePlain(cpu, L.LRU_PREV + folio * FOLIO_STRIDE, prev);
  storePlain(cpu, L.LRU_NEXT + prev * FOLIO_STRIDE, folio);
  storePlain(cpu, L.LRU_PREV + next * FOLIO_STRIDE, folio);
}

function add(cpu: Cpu, folio: number, tail: boolean): void {
  cpu.preempt(S.lruvec_add_folio);
  const { L } = cpu;
  const list = folio_lru_list(folio_flags(cpu, folio));
  const head = L.config.folios + list;
  if (tail) link(cpu, folio, loadPlain(cpu, L.LRU_PREV + head * FOLIO_STRIDE), head);
  else link(cpu, folio, head, loadPlain(cpu, L.LRU_NEXT + head * FOLIO_STRIDE));
  storePlain(cpu, L.LRU_SIZE + list, loadPlain(cpu, L.LRU_SIZE + list) + 1);
  storePlain(cpu, L.OBS_LIST + folio * FOLIO_STRIDE, list);
  cpu.trace(tail ? S.lruvec_add_folio_tail : S.lruvec_add_folio, folio, list);
}

/** include/linux/mm_inline.h lruvec_add_folio(): at the head of its list. */
export function lruvec_add_folio(cpu: Cpu, folio: number): void {
  add(cpu, folio, false);
}

/** include/linux/mm_inline.h lruvec_add_folio_tail(). */
export function lruvec_add_folio_tail(cpu: Cpu, folio: number): void {
  add(cpu, folio, true);
}

/** include/linux/mm_inline.h lruvec_del_folio(): size accounting by the folio's flags, as the kernel does. */
export function lruvec_del_folio(cpu: Cpu, folio: number): void {
  cpu.preempt(S.lruvec_del_folio);
  const { L } = cpu;
  const list = folio_lru_list(folio_flags(cpu, folio));
  const next = loadPlain(cpu, L.LRU_NEXT + folio * FOLIO_STRIDE);
  const prev = loadPlain(cpu, L.LRU_PREV + folio * FOLIO_STRIDE);
  if (next < 0 || prev < 0) throw new Error(`model bug: lruvec_del_folio(f${folio}) of a folio on no list`);
  storePlain(cpu, L.LRU_NEXT + prev * FOLIO_STRIDE, next);
  storePlain(cpu, L.LRU_PREV + next * FOLIO_STRIDE, prev);
  storePlain(cpu, L.LRU_NEXT + folio * FOLIO_STRIDE, -1);
  storePlain(cpu, L.LRU_PREV + folio * FOLIO_STRIDE, -1);
  storePlain(cpu, L.LRU_SIZE + list, loadPlain(cpu, L.LRU_SIZE + list) - 1);
  storePlain(cpu, L.OBS_LIST + folio * FOLIO_STRIDE, -1);
  cpu.trace(S.lruvec_del_folio, folio, list);
}
