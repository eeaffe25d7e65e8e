// The allocator loop of the 2014 MADV_FREE thread (ebizzy with jemalloc): each CPU's task touches
// a chunk of its heap, then hands it back with madvise(MADV_FREE) or madvise(MADV_DONTNEED), and
// reuses it. Counted in the model (page faults, zeroed pages, lock acquisitions) and timed, both
// policies in one process, alternating, so the ratio compares like with like.
//
// One thread, several CPU contexts of one local machine, round-robin: each CPU has its own mm,
// batches and PTL, and shares lru_lock and the zone lock with the others, but nothing waits, so
// the time is the model's work, not scheduling noise (free mode would add a ticket and a
// contention retry per preemption point). No memory pressure: as in ebizzy, nothing reclaims.
import { localMachine } from '../src/host/local-machine.js';
import type { CpuContext } from '../src/cpu/context.js';
import { madvise_dontneed, madvise_free } from '../src/kernel/madvise.js';
import { S, type SiteId } from '../src/kernel/sites.js';
import { lru_add_drain } from '../src/kernel/swap.js';
import { user_store } from '../src/kernel/user.js';
import { Ctrl } from '../src/shm/layout.js';

export const CPUS = 4;
export const PAGES = 64;
const ROUNDS = 400;
const REPEATS = 5;

type Policy = 'MADV_FREE' | 'MADV_DONTNEED';

export interface PolicyFigures {
  policy: Policy;
  /** Chunks touched and handed back per second (all CPUs), median of REPEATS runs. */
  chunksPerSecond: number;
  /** Per chunk of PAGES pages, in the steady state. */
  faults: number;
  zeroed: number;
  locks: Record<string, number>;
}

/** One chunk on `cpu`: store to every page of its mm, then give the pages back. */
function chunk(cpu: CpuContext, policy: Policy, value: number): void {
  for (let p = 0; p < PAGES; p++) user_store(cpu, cpu.id, p, value);
  if (policy === 'MADV_FREE') madvise_free(cpu, cpu.id, 0, PAGES);
  else madvise_dontneed(cpu, cpu.id, 0, PAGES);
}

function machine(): CpuContext[] {
  const lm = localMachine('6.10', { cpus: CPUS, folios: CPUS * (PAGES + 64), cmaFolios: 0, mms: CPUS, ptesPerMm: PAGES });
  return lm.cpus;
}

/** Runs `rounds` rounds of a chunk on every CPU, round-robin. */
function run(cpus: CpuContext[], policy: Policy, rounds: number): void {
  for (let r = 0; r < rounds; r++) for (const cpu of cpus) chunk(cpu, policy, r + 1);
}

/** Events per chunk in the steady state (after a warm-up round), by site, from wrapped trace hooks. */
function count(policy: Policy): { faults: number; zeroed: number; locks: Record<string, number> } {
  const cpus = machine();
  run(cpus, policy, 2);
  const L = cpus[0]!.L;
  const names: Record<number, string> = { [L.CTRL + Ctrl.LRU_LOCK]: 'lru_lock', [L.CTRL + Ctrl.ZONE_LOCK]: 'zone lock',
    [L.CTRL + Ctrl.SWAP_LOCK]: 'swap lock' };
  const locks: Record<string, number> = { PTL: 0, lru_lock: 0, 'zone lock': 0, 'swap lock': 0, 'folio lock': 0 };
  let faults = 0;
  let zeroed = 0;
  for (const cpu of cpus) {
    cpu.trace = (site: SiteId, _folio: number, value: number): void => {
      if (site === S.set_pte || site === S.handle_mm_fault) faults++;
      else if (site === S.folio_alloc) zeroed++;
      else if (site === S.spin_lock) locks[names[value] ?? 'PTL']!++;
      else if (site === S.folio_trylock || site === S.folio_lock) locks['folio lock']!++;
    };
  }
  const rounds = 10;
  run(cpus, policy, rounds);
  for (const cpu of cpus) lru_add_drain(cpu);
  const n = rounds * CPUS;
  for (const k of Object.keys(locks)) locks[k] = locks[k]! / n;
  return { faults: faults / n, zeroed: zeroed / n, locks };
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

/** Both policies, timed alternately in this process; returns their figures. */
export function benchMadvise(): PolicyFigures[] {
  const policies: Policy[] = ['MADV_FREE', 'MADV_DONTNEED'];
  const rates: Record<Policy, number[]> = { MADV_FREE: [], MADV_DONTNEED: [] };
  for (let i = 0; i < REPEATS; i++) {
    for (const policy of policies) {
      const cpus = machine();
      run(cpus, policy, 5); // warm-up: the JIT, and the first fault of every page
      const t0 = performance.now();
      run(cpus, policy, ROUNDS);
      rates[policy].push((ROUNDS * CPUS) / ((performance.now() - t0) / 1000));
    }
  }
  return policies.map((policy) => ({ policy, chunksPerSecond: Math.round(median(rates[policy])), ...count(policy) }));
}
