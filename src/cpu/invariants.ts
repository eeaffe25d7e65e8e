// Invariants checked on CPU0 after every iteration, while every other CPU is parked at the
// barrier (the machine is quiescent). A violation is a finding of the model, reported like a
// forbidden outcome, with a code, a folio (or list) and two numbers. Plain reads: at this moment
// CPU0 owns the whole machine (the barrier's Atomics operations ordered every CPU's writes).
import { Batch, Ctrl, NR_BATCHES, NR_LRU_LISTS, type Layout, FOLIO_STRIDE } from '../shm/layout.js';
import type { KernelSwitches } from '../kernel/profile.js';
import { folio_lru_list } from '../kernel/mm_inline.js';
import { has, Pg } from '../kernel/page-flags.js';
import { SLOT_FOLIO, SLOT_TAG_SHIFT } from '../kernel/pagevec.js';
import { GUP_PIN_COUNTING_BIAS } from '../kernel/gup.js';
import { is_swap_pte, pte_folio, pte_present, pte_swp_offset } from '../kernel/pgtable.js';
import { SWAP_HAS_CACHE } from '../kernel/swapfile.js';

export interface Violation { code: number; subject: number; a: number; b: number }

/** Messages by code; {s} the subject (folio or list), {a} and {b} the two numbers. */
export const VIOLATIONS = [
  '',
  'refcount of f{s} is {a}, the references the model knows of add up to {b}',
  'mapcount of f{s} is {a} but {b} PTEs map it',
  'anon f{s} is on no LRU list, in no lru_add batch and not isolated',
  'f{s} is in more than one place: listed {a}, isolated or in an lru_add batch {b}',
  'f{s} has PG_lru but is on no LRU list',
  'f{s} is on an LRU list without PG_lru and no batch owns its PG_lru',
  'f{s} sits in {a} non-add batches at once, which lru-clear-at-enqueue forbids',
  'f{s} is on list {a} but its flags say list {b}',
  'free folio f{s} still has refcount {a} or is referenced ({b} places)',
  'LRU list {s} is corrupt at node {a}',
  'LRU list {s} holds {a} folios but its size says {b}',
  'a lock is still held at the end of the iteration (word {a}, value {b})',
  'f{s} is still locked (PG_locked) at the end of the iteration',
  'f{s} changed while a stable-writes swap device wrote it (content {a} submitted, {b} at completion)',
  'swap slot {s} has user count {a} but {b} swap PTEs refer to it',
  'swap slot {s}: swap_map says {a} for the cache but the swap cache holds f{b}',
  'a write to swap slot {s} is still in flight at the end of the iteration (f{a})',
] as const;

function fail(code: number, subject: number, a = 0, b = 0): Violation {
  return { code, subject, a, b };
}

/** A checker for one machine: its scratch counters are allocated once, not per iteration. */
export function invariantChecker(m: Int32Array, L: Layout, k: KernelSwitches): () => Violation | null {
  const n = L.config.folios;
  const counts = new Int32Array(4 * n);
  const s: Scratch = { counts, inAdd: counts.subarray(0, n), inOther: counts.subarray(n, 2 * n),
    inMlock: counts.subarray(2 * n, 3 * n), ptes: counts.subarray(3 * n) };
  const locks = [L.CTRL + Ctrl.LRU_LOCK, L.CTRL + Ctrl.ZONE_LOCK, L.CTRL + Ctrl.DRAIN_ALL_MUTEX, L.CTRL + Ctrl.SWAP_LOCK];
  for (let mm = 0; mm < L.config.mms; mm++) locks.push(L.PTL + mm);
  const swapPtes = new Int32Array(L.config.swapSlots);
  return () => {
    counts.fill(0);
    return checkInvariants(m, L, k, s) ?? checkSwap(m, L, swapPtes) ?? checkLocks(m, locks);
  };
}

interface Scratch { counts: Int32Array; inAdd: Int32Array; inOther: Int32Array; inMlock: Int32Array; ptes: Int32Array }

/** Checks every folio and list invariant; returns the first violation or null. */
function checkInvariants(m: Int32Array, L: Layout, k: KernelSwitches, s: Scratch): Violation | null {
  const { folios, cpus, batchSize, mms, ptesPerMm } = L.config;
  // Count, per folio, its batch slots by kind and the PTEs mapping it.
  const { inAdd, inOther, inMlock, ptes } = s;
  for (let c = 0; c < cpus; c++) {
    for (let b = 0; b < NR_BATCHES; b++) {
      const cb = c * NR_BATCHES + b;
      const nr = m[L.FBATCH_NR + cb]!;
      for (let i = 0; i < nr; i++) {
        const slot = m[L.FBATCH_SLOT + cb * batchSize + i]!;
        const f = slot & SLOT_FOLIO;
        if (b === Batch.lru_add || (b === Batch.mlock && slot >>> SLOT_TAG_SHIFT === 2)) inAdd[f]!++;
        else if (b === Batch.mlock) inMlock[f]!++;
        else inOther[f]!++;
      }
    }
  }
  for (let i = 0; i < mms * ptesPerMm; i++) {
    const pte = m[L.PTE + i]!;
    if (pte_present(pte)) ptes[pte_folio(pte)]!++;
  }
  for (let f = 0; f < folios; f++) {
    const ref = m[L.FOLIO_REF + f * FOLIO_STRIDE]!;
    const batches = inAdd[f]! + inOther[f]! + inMlock[f]!;
    if (m[L.FOLIO_ALLOC + f * FOLIO_STRIDE]! === 0) {
      const places = batches + ptes[f]! + (m[L.OBS_LIST + f * FOLIO_STRIDE]! >= 0 ? 1 : 0);
      if (ref !== 0 || places !== 0) return fail(9, f, ref, places);
      continue;
    }
    const flags = m[L.FOLIO_FLAGS + f * FOLIO_STRIDE]!;
    const isolated = m[L.OBS_ISOLATED + f * FOLIO_STRIDE]!;
    const known = ptes[f]! + batches + isolated + m[L.OBS_PINS + f * FOLIO_STRIDE]! * GUP_PIN_COUNTING_BIAS +
      (has(flags, Pg.swapcache) ? 1 : 0) + m[L.OBS_EXTRA + f * FOLIO_STRIDE]!;
    if (ref !== known) return fail(1, f, ref, known);
    const mapcount = m[L.FOLIO_MAPCOUNT + f * FOLIO_STRIDE]!;
    if (mapcount !== ptes[f]) return fail(2, f, mapcount, ptes[f]);
    if (has(flags, Pg.locked)) return fail(13, f);
    const list = m[L.OBS_LIST + f * FOLIO_STRIDE]!;
    const listed = list >= 0 ? 1 : 0;
    const offList = (isolated > 0 ? 1 : 0) + inAdd[f]!;
    // an anon folio is always on the LRU or on its way; a driver's page (memory-driver.ts) never is
    if (listed + offList === 0 && has(flags, Pg.anon)) return fail(3, f);
    if (listed + offList > 1) return fail(4, f, listed, offList);
    if (has(flags, Pg.lru) && !listed) return fail(5, f);
    // a folio listed without PG_lru is one a batch op won at enqueue (6.11–6.16, or a patch that does so)
    if (listed && !has(flags, Pg.lru) && inOther[f]! === 0) return fail(6, f);
    if (k.lruClearAtEnqueue && inOther[f]! > 1) return fail(7, f, inOther[f]);
    if (listed && list !== folio_lru_list(flags)) return fail(8, f, list, folio_lru_list(flags));
  }
  for (let l = 0; l < NR_LRU_LISTS; l++) {
    const head = folios + l;
    let n = m[L.LRU_NEXT + head * FOLIO_STRIDE]!;
    let prev = head;
    let count = 0;
    while (n !== head) {
      if (n < 0 || n >= folios || count > folios || m[L.LRU_PREV + n * FOLIO_STRIDE]! !== prev ||
          m[L.OBS_LIST + n * FOLIO_STRIDE]! !== l) return fail(10, l, n);
      count++;
      prev = n;
      n = m[L.LRU_NEXT + n * FOLIO_STRIDE]!;
    }
    if (m[L.LRU_PREV + head * FOLIO_STRIDE]! !== prev) return fail(10, l, head);
    const size = m[L.LRU_SIZE + l]!;
    if (size !== count) return fail(11, l, count, size);
  }
  return null;
}

/** The swap device: counts match the swap PTEs, the cache matches swap_map and the folios. */
function checkSwap(m: Int32Array, L: Layout, ptes: Int32Array): Violation | null {
  if (m[L.OBS_STABLE_WRITE]! > 0) {
    return fail(14, m[L.OBS_STABLE_WRITE + 1]!, m[L.OBS_STABLE_WRITE + 2]!, m[L.OBS_STABLE_WRITE + 3]!);
  }
  ptes.fill(0);
  const { mms, ptesPerMm, swapSlots } = L.config;
  for (let i = 0; i < mms * ptesPerMm; i++) {
    const pte = m[L.PTE + i]!;
    if (is_swap_pte(pte)) ptes[pte_swp_offset(pte)]!++;
  }
  for (let slot = 0; slot < swapSlots; slot++) {
    const map = m[L.SWAP_MAP + slot]!;
    const users = map & ~SWAP_HAS_CACHE;
    if (users !== ptes[slot]) return fail(15, slot, users, ptes[slot]);
    const folio = m[L.SWAP_CACHE + slot]!;
    const cached = folio >= 0 && m[L.FOLIO_ALLOC + folio * FOLIO_STRIDE] === 1 &&
      has(m[L.FOLIO_FLAGS + folio * FOLIO_STRIDE]!, Pg.swapcache) && m[L.FOLIO_SWAP + folio * FOLIO_STRIDE] === slot;
    if (((map & SWAP_HAS_CACHE) !== 0) !== cached || (folio >= 0 && !cached)) return fail(16, slot, map, folio);
    const writing = m[L.SWAP_WB_FOLIO + slot]!;
    if (writing >= 0) return fail(17, slot, writing);
  }
  return null;
}

/** No lock may be held once every CPU is done. */
function checkLocks(m: Int32Array, locks: readonly number[]): Violation | null {
  for (const w of locks) {
    const v = m[w]!;
    if (v !== 0) return fail(12, -1, w, v);
  }
  return null;
}

/** The text of a violation. */
export function describeViolation(v: Violation): string {
  const t = VIOLATIONS[v.code] ?? `violation ${v.code}`;
  return t.replace('{s}', String(v.subject)).replace('{a}', String(v.a)).replace('{b}', String(v.b));
}
