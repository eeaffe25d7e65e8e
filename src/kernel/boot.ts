// The state of a freshly booted model: empty LRU lists, empty batches, no folios allocated, empty
// page tables, no locks held. The runner restores it on CPU0 before every iteration, while every
// other CPU is parked at the iteration barrier.
import { Ctrl, FOLIO_STRIDE, NR_LRU_LISTS, type FolioField, type Layout, type Region } from '../shm/layout.js';

/** Regions that hold model state and boot as zeros (FBATCH_SLOT needs none: FBATCH_NR says 0). */
const ZEROED: readonly Region[] = [
  'LRU_SIZE', 'FBATCH_NR', 'PTE', 'PTL', 'WP_SEQ', 'OBS_MIGRATE_FAIL', 'OBS_REF_HOLDERS', 'SCN_VARS',
  'WORK_REQ', 'WORK_START', 'WORK_DONE', 'SWAP_MAP', 'SWAP_DATA', 'SWAP_WB', 'OBS_STABLE_WRITE',
  'VM_FLAGS', 'VM_EVENTS',
  'SIM_LOCK', 'SIM_WORK', // observation only: simulated time's stamps start from zero with the model
];
/** Regions that boot as -1 (no folio). */
const MINUS_ONE: readonly Region[] = ['SWAP_CACHE', 'SWAP_WB_FOLIO'];
/** Folio record fields that boot as zero and as -1 (no list, no mapping); FOLIO_ZONE is static. */
const FOLIO_ZEROED: readonly FolioField[] = ['FOLIO_FLAGS', 'FOLIO_REF', 'FOLIO_MAPCOUNT', 'FOLIO_DATA', 'FOLIO_ALLOC',
  'OBS_ISOLATED', 'OBS_PINS', 'OBS_EXTRA'];
const FOLIO_MINUS_ONE: readonly FolioField[] = ['FOLIO_MM', 'FOLIO_INDEX', 'FOLIO_SWAP', 'OBS_LIST', 'LRU_NEXT', 'LRU_PREV'];
/** Machine-wide model words. */
const MODEL_CTRL = [Ctrl.LRU_DRAIN_GEN, Ctrl.DRAIN_ALL_MUTEX, Ctrl.LRU_LOCK, Ctrl.LRU_DISABLE_COUNT, Ctrl.ZONE_LOCK,
  Ctrl.SWAP_LOCK, Ctrl.SWAP_DEVICE];

/** Spans [start, end) of the machine to set, and the value: computed once per layout. */
const PLANS = new WeakMap<Layout, Int32Array>();

export function bootPlan(L: Layout): Int32Array {
  let plan = PLANS.get(L);
  if (!plan) {
    const spans: number[] = [];
    for (const r of ZEROED) spans.push(L[r], L[r] + L.sizes[r], 0);
    for (const r of MINUS_ONE) spans.push(L[r], L[r] + L.sizes[r], -1);
    for (const w of MODEL_CTRL) spans.push(L.CTRL + w, L.CTRL + w + 1, 0);
    const heads = L.config.folios;
    for (let f = 0; f < heads; f++) {
      for (const x of FOLIO_ZEROED) spans.push(L[x] + f * FOLIO_STRIDE, L[x] + f * FOLIO_STRIDE + 1, 0);
      for (const x of FOLIO_MINUS_ONE) spans.push(L[x] + f * FOLIO_STRIDE, L[x] + f * FOLIO_STRIDE + 1, -1);
    }
    for (let l = heads; l < heads + NR_LRU_LISTS; l++) {
      spans.push(L.LRU_NEXT + l * FOLIO_STRIDE, L.LRU_NEXT + l * FOLIO_STRIDE + 1, l);
      spans.push(L.LRU_PREV + l * FOLIO_STRIDE, L.LRU_PREV + l * FOLIO_STRIDE + 1, l);
    }
    plan = Int32Array.from(spans);
    PLANS.set(L, plan);
  }
  return plan;
}

/**
 * Resets all model state of the machine to boot state. Plain stores: the caller owns the whole
 * machine at this moment (every other CPU is parked at the iteration barrier, whose Atomics
 * operations publish these stores).
 */
export function boot_machine(m: Int32Array, L: Layout): void {
  const plan = bootPlan(L);
  for (let s = 0; s < plan.length; s += 3) {
    const v = plan[s + 2]!;
    for (let i = plan[s]!, end = plan[s + 1]!; i < end; i++) m[i] = v;
  }
}
