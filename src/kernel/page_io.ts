// Models mm/page_io.c (v5.17–v5.19) for one swap device: writing a swap-cache folio out and
// reading a slot in. Two device kinds, as KERNEL.md §2.12 describes them:
//   synchronous (zram through bdev_write_page()/rw_page in 5.x): writeback starts and ends before
//     the folio is unlocked, so nobody who locks the folio can see PG_writeback;
//   asynchronous (a bio): writeback starts, the folio is unlocked, and the write completes later,
//     when the device's completion runs (end_swap_bio_write(), called by the scenario's actor).
// A SWP_STABLE_WRITES device checks at completion that the content did not change since submit
// (its checksum or parity would not match otherwise); a change is recorded in OBS_STABLE_WRITE.
import { exchange, fetchAdd, load, store } from '../shm/access.js';
import { FOLIO_STRIDE } from '../shm/layout.js';
import type { Cpu } from './cpu.js';
import { folio_unlock } from './locking.js';
import { folio_clear, folio_set, folio_test_clear, Pg } from './page-flags.js';
import { S } from './sites.js';
import { folio_get } from './page_ref.js';
import { folio_put } from './swap.js';
import { swap_device_has, SwapDevice } from './swapfile.js';
import { patchable } from './patchable.js';

/** mm/page_io.c swap_read_folio(): the slot's content into the (locked, new) folio; synchronous. */
export function swap_read_folio(cpu: Cpu, folio: number, slot: number): void {
  cpu.preempt(S.swap_read_folio);
  const data = load(cpu, cpu.L.SWAP_DATA + slot);
  store(cpu, cpu.L.FOLIO_DATA + folio * FOLIO_STRIDE, data);
  cpu.trace(S.swap_read_folio, folio, slot);
  folio_unlock(cpu, folio);
}

/**
 * mm/page_io.c swap_writepage() → __swap_writepage() (folio locked, dirty already cleared by
 * pageout()): start writeback and submit. Returns with the folio unlocked; on a synchronous
 * device the write is complete by then.
 */
export function swap_writepage(cpu: Cpu, folio: number): void {
  const { L } = cpu;
  const slot = load(cpu, L.FOLIO_SWAP + folio * FOLIO_STRIDE);
  folio_set(cpu, folio, Pg.writeback); // folio_start_writeback()
  cpu.preempt(S.swap_write_submit);
  store(cpu, L.SWAP_WB + slot, load(cpu, L.FOLIO_DATA + folio * FOLIO_STRIDE));
  store(cpu, L.SWAP_WB_FOLIO + slot, folio);
  cpu.trace(S.swap_write_submit, folio, slot);
  if (swap_device_has(cpu, SwapDevice.SYNCHRONOUS_IO)) patchable.end_swap_bio_write(cpu, slot);
  folio_unlock(cpu, folio);
}

/**
 * mm/page_io.c end_swap_bio_write() → mm/filemap.c folio_end_writeback(): the device has the
 * slot's content. A folio reclaim wanted gone rotates to the inactive tail while PG_writeback
 * still pins it in place; then, holding a reference so that it cannot be freed and reused before
 * the waiters are woken, PG_writeback clears.
 */
export function end_swap_bio_write(cpu: Cpu, slot: number): void {
  if (!swap_write_end(cpu, slot)) throw new Error(`model bug: no write in flight on swap slot ${slot}`);
}

/**
 * The completion of the write in flight on `slot`, claimed atomically: a bio completes once, so of
 * two CPUs running the device's completions at the same time only one completes each write.
 * Returns false when no write was in flight (or another CPU's completion took it).
 */
function swap_write_end(cpu: Cpu, slot: number): boolean {
  const { L } = cpu;
  cpu.preempt(S.swap_write_done);
  const folio = exchange(cpu, L.SWAP_WB_FOLIO + slot, -1);
  if (folio < 0) return false;
  const submitted = load(cpu, L.SWAP_WB + slot);
  const now = load(cpu, L.FOLIO_DATA + folio * FOLIO_STRIDE);
  if (now !== submitted && swap_device_has(cpu, SwapDevice.STABLE_WRITES)) {
    if (fetchAdd(cpu, L.OBS_STABLE_WRITE, 1) === 0) {
      store(cpu, L.OBS_STABLE_WRITE + 1, folio);
      store(cpu, L.OBS_STABLE_WRITE + 2, submitted);
      store(cpu, L.OBS_STABLE_WRITE + 3, now);
    }
  }
  store(cpu, L.SWAP_DATA + slot, now);
  cpu.trace(now === submitted ? S.swap_write_done : S.swap_write_torn, folio, slot);
  if (folio_test_clear(cpu, folio, Pg.reclaim)) patchable.folio_rotate_reclaimable(cpu, folio);
  folio_get(cpu, folio);
  folio_clear(cpu, folio, Pg.writeback);
  cpu.wake(L.FOLIO_FLAGS + folio * FOLIO_STRIDE);
  folio_put(cpu, folio);
  return true;
}

/**
 * The asynchronous device's completions: every write in flight finishes now (the scenario calls
 * it). Several CPUs may call it at once; each write completes exactly once. Returns how many this
 * call completed.
 */
export function complete_swap_writes(cpu: Cpu): number {
  let n = 0;
  for (let slot = 0; slot < cpu.L.config.swapSlots; slot++) {
    if (load(cpu, cpu.L.SWAP_WB_FOLIO + slot) >= 0 && swap_write_end(cpu, slot)) n++;
  }
  return n;
}
