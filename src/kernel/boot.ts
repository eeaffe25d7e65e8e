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

/** Spans [start, end) of the machine to set, and the value: computed once per layout. */
const PLANS = new WeakMap<Layout, Int32Array>();

/**
 * Every word that holds model state in machine `m` now: the spans boot_machine sets, plus the
 * batch slots in use (a slot at or past its batch's FBATCH_NR means nothing).
 */
export function modelSpans(m: Int32Array, L: Layout): [number, number][] {
  const plan = bootPlan(L);
  const spans: [number, number][] = [];
  for (let s = 0; s < plan.length; s += 3) spans.push([plan[s]!, plan[s + 1]!]);
  for (let cb = 0; cb < L.sizes.FBATCH_NR; cb++) {
    const nr = Atomics.load(m, L.FBATCH_NR + cb);
    const at = L.FBATCH_SLOT + cb * L.config.batchSize;
    if (nr > 0) spans.push([at, at + nr]);
  }
  return spans;
}

function bootPlan(L: Layout): Int32Array {
  let plan = PLANS.get(L);
  if (!plan) {
    const spans: number[] = [];
    for (const r of ZEROED) spans.push(L[r], L[r] + L.sizes[r], 0);
    for (const r of MINUS_ONE) spans.push(L[r], L[r] + L.sizes[r], -1);
    for (const w of MODEL_CTRL) spans.push(L.CTRL + w, L.CTRL + w + 1, 0);
    const heads = L.config.folios;
    for (let l = 0; l < NR_LRU_LISTS; l++) {
      spans.push(L.LRU_NEXT + heads + l, L.LRU_NEXT + heads + l + 1, heads + l);
      spans.push(L.LRU_PREV + heads + l, L.LRU_PREV + heads + l + 1, heads + l);
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
