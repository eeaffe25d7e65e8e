// Models include/linux/highmem.h for what a device or the kernel writes into a page through the
// kernel's own mapping (no PTE of any process involved, as DMA or bio_vec copies do).
import { store } from '../shm/access.js';
import { FOLIO_STRIDE } from '../shm/layout.js';
import type { Cpu } from './cpu.js';

/** include/linux/highmem.h memcpy_to_folio() (v6.9): the folio's contents become `value`. */
export function memcpy_to_folio(cpu: Cpu, folio: number, value: number): void {
  store(cpu, cpu.L.FOLIO_DATA + folio * FOLIO_STRIDE, value);
}
