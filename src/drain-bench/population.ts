// The folios of a bench machine, set up once on the main thread before its workers start (CPU0
// snapshots the result and restores it before every rep), and where each CPU finds its own.
//
// A drain machine, for N CPUs and the largest batch B:
//   folio 0            the page the copy alternative copies
//   folio 1            free: the copy's new page (first fit finds it at once)
//   2 + c·3B + [0, B)  CPU c's fill folios: allocated anon pages not yet on an LRU (folio_add_lru)
//   2 + c·3B + [B, 3B) CPU c's traffic folios: on the inactive anon LRU (folio_activate/deactivate)
// A gup machine, for P pages: folios [0, P) are CMA anon pages mapped at mm 0, addresses 0..P-1, on
// the inactive LRU with PG_referenced (the next touch activates them); [P, 2P] are free NORMAL
// folios, the migration targets.
import { FOLIO_STRIDE, type MachineConfig } from '../shm/layout.js';
import type { Cpu } from '../kernel/cpu.js';
import { do_anonymous_page } from '../kernel/memory.js';
import { free_folio, folio_alloc, Zone } from '../kernel/page_alloc.js';
import { folio_set, Pg } from '../kernel/page-flags.js';
import { NEWEST_PROFILE } from '../kernel/profile.js';
import { folio_add_lru, lru_add_drain } from '../kernel/swap.js';
import { localMachine, type LocalMachine } from '../host/local-machine.js';

export const COPY_SOURCE = 0;
const FIRST_PER_CPU = 2;
export const GUP_MM = 0;

const SMALL = { traceCapacity: 64, scheduleCapacity: 1, scenarioVars: 0, outcomes: 1, swapSlots: 0 } as const;

export function drainMachineConfig(cpus: number, batchSize: number): MachineConfig {
  return { ...SMALL, cpus, batchSize, folios: FIRST_PER_CPU + cpus * 3 * batchSize, cmaFolios: 0, mms: 1, ptesPerMm: 1 };
}

export function gupMachineConfig(cpus: number, pages: number, batchSize: number): MachineConfig {
  return { ...SMALL, cpus, batchSize, folios: 2 * pages + 1, cmaFolios: pages, mms: 1, ptesPerMm: pages };
}

/** Fill folio `i` of CPU `c` (the machine's batchSize is the largest batch measured on it). */
export function fillFolio(cpu: Cpu, c: number, i: number): number {
  return FIRST_PER_CPU + c * 3 * machineBatch(cpu) + i;
}

/** Traffic folio `i` (mod 2B) of CPU `c`. */
export function trafficFolio(cpu: Cpu, c: number, i: number): number {
  const b = machineBatch(cpu);
  return FIRST_PER_CPU + c * 3 * b + b + (i % (2 * b));
}

export function trafficFolios(cpu: Cpu): number {
  return 2 * machineBatch(cpu);
}

/** The batch size the machine was laid out for (a measurement's view may use a smaller one). */
function machineBatch(cpu: Cpu): number {
  return (cpu.L.sizes.FBATCH_SLOT / cpu.L.sizes.FBATCH_NR);
}

function anonPage(cpu: Cpu, data: number): number {
  const f = folio_alloc(cpu, Zone.NORMAL);
  if (f < 0) throw new Error('internal error: bench machine too small (this is a bug in foliorace)');
  Atomics.store(cpu.m, cpu.L.FOLIO_DATA + f * FOLIO_STRIDE, data);
  folio_set(cpu, f, Pg.anon);
  folio_set(cpu, f, Pg.swapbacked);
  return f;
}

/** A drain machine (layout above), booted and populated; the bench-stat clocks are on. */
export function drainMachine(config: MachineConfig): LocalMachine {
  const lm = quietMachine(config);
  const [cpu0] = lm.cpus;
  anonPage(cpu0!, 0x5eed);
  const slot = anonPage(cpu0!, 0);
  for (const cpu of lm.cpus) {
    for (let i = 0; i < config.batchSize; i++) anonPage(cpu, i);
    for (let i = 0; i < 2 * config.batchSize; i++) folio_add_lru(cpu, anonPage(cpu, i));
    lru_add_drain(cpu);
  }
  free_folio(cpu0!, slot);
  return lm;
}

/** A gup machine (layout above). */
export function gupMachine(config: MachineConfig): LocalMachine {
  const lm = quietMachine(config);
  const cpu0 = lm.cpus[0]!;
  for (let addr = 0; addr < config.ptesPerMm; addr++) do_anonymous_page(cpu0, GUP_MM, addr, Zone.CMA, addr);
  lru_add_drain(cpu0);
  for (let f = 0; f < config.cmaFolios; f++) folio_set(cpu0, f, Pg.referenced);
  return lm;
}

function quietMachine(config: MachineConfig): LocalMachine {
  const lm = localMachine(NEWEST_PROFILE, config);
  for (const cpu of lm.cpus) cpu.quiet = true;
  lm.i32[lm.L.BENCH_TIMED] = 1; // static: written before any worker starts
  return lm;
}
