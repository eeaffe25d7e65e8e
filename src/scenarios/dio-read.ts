// What the two scenarios of a direct-I/O read into a MADV_FREE'd buffer share (madv-free-dio-read.ts,
// memory/madv-free-dio-gup-fast.ts): T wrote D0 to X and MADV_FREE'd it; CPU0 reads into X with
// O_DIRECT while CPU1 reclaims; the forbidden outcome is T loading anything but the data read.
import { kernel, reclaimPass, type Cpu, type ScenarioVars } from '../scenario/index.js';

export const MM = 0;
export const X = 0;
const D0 = 0xd0;
const D1 = 0xd1;
/** vars[READ]: what T loaded from X after the read completed. */
const READ = 0;

export const DIO_READ = {
  seeds: ['Mauricio Faria de Oliveira, Jan–Feb 2022 "mm: fix race between MADV_FREE reclaim and blkdev direct IO read" → 6c8e2a256915'],
  cpus: 2,
  machine: { folios: 8, cmaFolios: 0, mms: 1, ptesPerMm: 1, swapSlots: 2 },
  outcomes: { 'read-data-seen': 'acceptable', 'lost-dio-data': 'forbidden' },

  setup(cpu: Cpu): void {
    kernel.user_store(cpu, MM, X, D0);
    kernel.lru_add_drain(cpu);
    if (kernel.madvise_free(cpu, MM, X, 1) === kernel.EINVAL) throw new Error('scenario: the profile has no MADV_FREE');
    kernel.lru_add_drain(cpu); // the lazyfree batch drains: X is lazy-free on the inactive file list
  },

  check(_cpu: Cpu, vars: ScenarioVars): 'read-data-seen' | 'lost-dio-data' {
    return vars.get(READ) === D1 ? 'read-data-seen' : 'lost-dio-data';
  },
} as const;

/**
 * The actors: CPU1 reclaims; CPU0's read takes X's page with `gup`, the device's DMA lands in it,
 * the completion dirties it (bio_check_pages_dirty(): folio_mark_dirty()) and drops the reference
 * with `put`; then T loads X.
 */
export function dioReadActor(cpu: Cpu, vars: ScenarioVars, gup: (cpu: Cpu) => number, put: (cpu: Cpu, folio: number) => void): void {
  if (cpu.id === 1) { reclaimPass(cpu); return; }
  const folio = gup(cpu);
  kernel.memcpy_to_folio(cpu, folio, D1);
  kernel.folio_set(cpu, folio, kernel.Pg.dirty);
  put(cpu, folio);
  vars.set(READ, kernel.user_load(cpu, MM, X));
}
