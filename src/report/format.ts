// Turning trace events into words: site texts with their folio and decoded value.
import { BATCH_NAMES, Ctrl, LRU_NAMES, type Layout } from '../shm/layout.js';
import type { TraceEvent } from '../shm/decode.js';
import { PG_NAMES } from '../kernel/page-flags.js';
import { SITES } from '../kernel/sites.js';

const ERRNO: Record<number, string> = { [-11]: '-EAGAIN', [-12]: '-ENOMEM', [-14]: '-EFAULT', [-22]: '-EINVAL' };

/** A lock word's name. */
export function wordName(L: Layout, at: number): string {
  if (at === L.CTRL + Ctrl.LRU_LOCK) return 'lru_lock';
  if (at === L.CTRL + Ctrl.ZONE_LOCK) return 'zone->lock';
  if (at === L.CTRL + Ctrl.DRAIN_ALL_MUTEX) return 'lru_add_drain_all mutex';
  if (at >= L.PTL && at < L.PTL + L.config.mms) return `ptl(mm${at - L.PTL})`;
  return `word ${at}`;
}

function value(L: Layout, e: TraceEvent): string {
  const kind = SITES[e.site]?.value ?? 'n';
  switch (kind) {
    case 'bit': return PG_NAMES[e.value] ?? String(e.value);
    case 'batch': return BATCH_NAMES[e.value] ?? String(e.value);
    case 'list': return LRU_NAMES[e.value] ?? String(e.value);
    case 'rc': return ERRNO[e.value] ?? (e.value >= 0 ? String(e.value) : `errno ${e.value}`);
    case 'word': return wordName(L, e.value);
    default: return String(e.value);
  }
}

/** One event as a line of a race diagram. */
export function describeEvent(L: Layout, e: TraceEvent): string {
  const text = SITES[e.site]?.text ?? `site ${e.site}`;
  return text.replace('{f}', e.folio >= 0 ? `f${e.folio}` : '-').replace('{v}', value(L, e));
}
