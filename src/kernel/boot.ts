// The state of a freshly booted model: empty LRU lists, empty batches, no folios allocated, empty
// page tables, no locks held. The runner restores it on CPU0 before every iteration, while every
// other CPU is parked at the iteration barrier.
import { Ctrl, NR_LRU_LISTS, type Layout, type Region } from '../shm/layout.js';

/** Regions that hold model state and boot as zeros (FBATCH_SLOT needs none: FBATCH_NR says 0). */
const ZEROED: readonly Region[] = [
  'FOLIO_FLAGS', 'FOLIO_REF', 'FOLIO_MAPCOUNT', 'FOLIO_DATA', 'FOLIO_ALLOC', 'FOLIO_PRIVATE',
  'LRU_SIZE', 'FBATCH_NR', 'PTE', 'PTL', 'SWAP_MAP', 'SWAP_DATA',
  'OBS_ISOLATED', 'OBS_PINS', 'OBS_EXTRA', 'OBS_MIGRATE_FAIL', 'SCN_VARS',
  'WORK_REQ', 'WORK_START', 'WORK_DONE',
];
/** Regions that boot as -1 (no list, no mapping). */
const MINUS_ONE: readonly Region[] = ['FOLIO_MM', 'FOLIO_INDEX', 'OBS_LIST', 'LRU_NEXT', 'LRU_PREV'];
/** Machine-wide model words. */
const MODEL_CTRL = [Ctrl.LRU_DRAIN_GEN, Ctrl.DRAIN_ALL_MUTEX, Ctrl.LRU_LOCK, Ctrl.LRU_DISABLE_COUNT, Ctrl.ZONE_LOCK];

// Plain stores (a memset): the caller owns the whole machine at this moment, every other CPU being
// parked at the iteration barrier, whose Atomics operations publish these stores.
function fill(m: Int32Array, L: Layout, r: Region, v: number): void {
  m.fill(v, L[r], L[r] + L.sizes[r]);
}

/** Resets all model state of the machine to boot state (only while no other CPU runs). */
export function boot_machine(m: Int32Array, L: Layout): void {
  for (const r of ZEROED) fill(m, L, r, 0);
  for (const r of MINUS_ONE) fill(m, L, r, -1);
  for (const w of MODEL_CTRL) Atomics.store(m, L.CTRL + w, 0);
  const heads = L.config.folios;
  for (let l = 0; l < NR_LRU_LISTS; l++) {
    Atomics.store(m, L.LRU_NEXT + heads + l, heads + l);
    Atomics.store(m, L.LRU_PREV + heads + l, heads + l);
  }
}
