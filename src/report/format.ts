// Turning trace events into words: site texts with their folio and decoded value.
import { BATCH_NAMES, Ctrl, FOLIO_FIELD_NAMES, FOLIO_STRIDE, LRU_NAMES, REGION_NAMES, type Layout } from '../shm/layout.js';
import type { TraceEvent } from '../shm/decode.js';
import { PG_NAMES } from '../kernel/page-flags.js';
import { SITES } from '../kernel/sites.js';

const ERRNO: Record<number, string> = { [-11]: '-EAGAIN', [-12]: '-ENOMEM', [-14]: '-EFAULT', [-22]: '-EINVAL' };

/** A lock word's name. */
export function wordName(L: Layout, at: number): string {
  if (at === L.CTRL + Ctrl.LRU_LOCK) return 'lru_lock';
  if (at === L.CTRL + Ctrl.ZONE_LOCK) return 'zone->lock';
  if (at === L.CTRL + Ctrl.DRAIN_ALL_MUTEX) return 'lru_add_drain_all mutex';
  if (at === L.CTRL + Ctrl.SWAP_LOCK) return 'swap_lock';
  if (at >= L.PTL && at < L.PTL + L.config.mms) return `ptl(mm${at - L.PTL})`;
  return `word ${at}`;
}

/** Any model word by what it is: "PTE mm0[3]", "f2 ref", "var 1", a lock's name, else region[index]. */
export function addrName(L: Layout, at: number): string {
  const inRegion = (r: (typeof REGION_NAMES)[number]): boolean => at >= L[r] && at < L[r] + L.sizes[r];
  if (inRegion('PTE')) {
    const i = at - L.PTE;
    return `PTE mm${Math.floor(i / L.config.ptesPerMm)}[${i % L.config.ptesPerMm}]`;
  }
  if (inRegion('FOLIO_REC')) {
    const i = at - L.FOLIO_REC;
    const field = FOLIO_FIELD_NAMES.find((f) => L[f] - L.FOLIO_REC === i % FOLIO_STRIDE) ?? `word ${i % FOLIO_STRIDE}`;
    return `f${Math.floor(i / FOLIO_STRIDE)} ${field.replace(/^FOLIO_/, '').toLowerCase()}`;
  }
  if (inRegion('SCN_VARS')) return `var ${at - L.SCN_VARS}`;
  const name = wordName(L, at);
  if (name !== `word ${at}`) return name;
  const r = REGION_NAMES.find(inRegion);
  return r === undefined ? name : `${r}[${at - L[r]}]`;
}

function value(L: Layout, e: TraceEvent): string {
  const kind = SITES[e.site]?.value ?? 'n';
  switch (kind) {
    case 'bit': return PG_NAMES[e.value] ?? String(e.value);
    case 'batch': return BATCH_NAMES[e.value] ?? String(e.value);
    case 'list': return LRU_NAMES[e.value] ?? String(e.value);
    case 'rc': return ERRNO[e.value] ?? (e.value >= 0 ? String(e.value) : `errno ${e.value}`);
    case 'word': return wordName(L, e.value);
    case 'addr': return addrName(L, e.value);
    default: return String(e.value);
  }
}

/** One event as a line of a race diagram. */
export function describeEvent(L: Layout, e: TraceEvent): string {
  const text = SITES[e.site]?.text ?? `site ${e.site}`;
  return text.replace('{f}', e.folio >= 0 ? `f${e.folio}` : '-').replace('{x}', String(e.folio)).replace('{v}', value(L, e));
}
