// The model's lru_add_drain() calls for a fault mix, before and after Barry Song's 2026 removal of
// redundant drains (switch fewer-fault-drains). His measurement was of a kernel build (276,787 →
// 230,283 calls); this is the model's count for its own mix, not a kernel figure: pages faulted in,
// a fork and the child's and parent's writes (COW), the child's exit, two pages swapped out, one read
// back by this CPU's write fault, the other read ahead by CPU1 first (so its batch reference sits on
// CPU1, where no local drain reaches it), repeated. One thread, CPU contexts of one local machine:
// deterministic.
//   node dist/bench/drain-calls.js
import { localMachine } from '../src/host/local-machine.js';
import type { CpuContext } from '../src/cpu/context.js';
import { copy_page_range } from '../src/kernel/fork.js';
import { madvise_dontneed } from '../src/kernel/madvise.js';
import { swapon } from '../src/kernel/swapfile.js';
import { mapped_folio, user_store } from '../src/kernel/user.js';
import { swapOut } from '../src/scenario/kit.js';
import { BenchStat, CPU_STRIDE, FOLIO_STRIDE } from '../src/shm/layout.js';
import { read_swap_cache_async } from '../src/kernel/swap_state.js';
import { folio_put, lru_add_drain } from '../src/kernel/swap.js';

const ROUNDS = 200;
const PAGES = 4;

/** lru_add_drain() calls CPU0 has made so far. */
function drains(cpu: CpuContext): number {
  return cpu.m[cpu.L.BENCH_STAT + cpu.id * CPU_STRIDE + BenchStat.LRU_ADD_DRAIN_CALLS]!;
}

/** A fault of the mix: CPU0's store to `addr` of `mm`; returns the lru_add_drain() calls it made. */
function fault(cpu: CpuContext, mm: number, addr: number, value: number): number {
  const before = drains(cpu);
  user_store(cpu, mm, addr, value);
  return drains(cpu) - before;
}

/** One round on mm 0 (the parent) and mm 1 (the child), CPU1 reading ahead; the faults' drains. */
function round(cpu: CpuContext, cpu1: CpuContext, r: number): number {
  let n = 0;
  for (let p = 0; p < PAGES; p++) n += fault(cpu, 0, p, r * 16 + p); // fault in, or write again
  copy_page_range(cpu, 0, 1); // fork: both map every page read-only
  n += fault(cpu, 1, 0, -r); // the child's COW write fault copies page 0
  n += fault(cpu, 0, 0, r); // the parent's write fault reuses it
  madvise_dontneed(cpu, 1, 0, PAGES); // the child exits
  const ahead = mapped_folio(cpu, 0, 2);
  swapOut(cpu, mapped_folio(cpu, 0, 1)); // reclaim writes pages 1 and 2 out and frees them
  swapOut(cpu, ahead, true);
  const slot = cpu.m[cpu.L.FOLIO_SWAP + ahead * FOLIO_STRIDE]!;
  swapOut(cpu, ahead);
  n += fault(cpu, 0, 1, r); // the write fault on the swap PTE reads page 1 back
  folio_put(cpu1, read_swap_cache_async(cpu1, slot)); // CPU1 reads page 2 ahead: in its lru_add batch
  n += fault(cpu, 0, 2, r); // the write fault finds page 2 in the swap cache
  lru_add_drain(cpu1);
  return n;
}

/** The lru_add_drain() calls of the mix's faults, ROUNDS rounds under `kernel` with `patches`. */
export function drainCallsForMix(kernel: string, patches: Record<string, boolean> = {}): number {
  const [cpu, cpu1] = localMachine(kernel, { cpus: 2, folios: 64, mms: 2, ptesPerMm: PAGES, swapSlots: 16 }, patches).cpus;
  swapon(cpu!, 0);
  let n = 0;
  for (let r = 0; r < ROUNDS; r++) n += round(cpu!, cpu1!, r);
  return n;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const before = drainCallsForMix('7.3', { 'fewer-fault-drains': false });
  const after = drainCallsForMix('7.3');
  const pct = Math.round((100 * (before - after)) / before);
  process.stdout.write(`the model's lru_add_drain() calls by the faults of ${ROUNDS} rounds of its mix (not a kernel measurement):\n` +
    `  7.3 with fewer-fault-drains=off: ${before}\n  7.3:                            ${after} (${pct}% fewer)\n`);
}
