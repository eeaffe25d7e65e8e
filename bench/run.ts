// `npm run bench`: primitives (tinybench), free-mode throughput of gup-longterm-vs-activate, time
// to the first forbidden outcome of every bug-hunting scenario under its buggy profile in each
// mode, and `foliorace bench drain --quick`.
// Figures go to bench/README.md.
// Nothing here runs in `npm test`: speed is measured, never asserted.
import { runScenario } from '../src/api/run.js';
import { DEFAULT_OPTIONS, QUICK, runDrainBench } from '../src/drain-bench/drain.js';
import { drainBenchTable } from '../src/drain-bench/table.js';
import { benchMadvise, CPUS, PAGES } from './madvise.js';
import { freeModeVsRaw } from './free-mode.js';
import { benchPrimitives } from './primitives.js';

const SCENARIO = 'gup-longterm-vs-activate';
const SEEDS = ['1', '2', '3', '4', '5'];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function throughput(kernel: string): Promise<number[]> {
  const out: number[] = [];
  for (const seed of SEEDS) {
    const r = await runScenario({ scenario: SCENARIO, kernel, mode: 'free', cpus: 2, iterations: 300_000, seed, out: null });
    out.push(r.iterationsPerSecond);
  }
  return out;
}

/** Each bug-hunting scenario and the profile under which its forbidden outcome is found. */
const BUGGY: readonly [string, string][] = [
  [SCENARIO, '6.10'],
  ['gup-remote-pin-touch', '6.10'],
  ['wp-swapcache-reuse-after-fork', '5.17-willy'],
  ['swapin-exclusive-stable-writes', '5.19-swp-v2'],
];

async function timeToFirst(scenario: string, kernel: string, mode: 'free' | 'pct' | 'random'):
  Promise<{ ms: number[]; iterations: number[] }> {
  const ms: number[] = [];
  const iterations: number[] = [];
  for (const seed of SEEDS) {
    const r = await runScenario({ scenario, kernel, mode, seed, iterations: 1e9, durationMs: 30_000,
      stopOnFirst: true, out: null });
    ms.push(r.elapsedMs);
    iterations.push(r.iterations);
  }
  return { ms, iterations };
}

function madvise(): void {
  console.log(`allocator loop (ebizzy-like), ${CPUS} CPUs round-robin on one thread, ${PAGES}-page chunks, 6.10:`);
  const rows = benchMadvise();
  for (const r of rows) {
    const locks = Object.entries(r.locks).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
    console.log(`  ${r.policy.padEnd(13)} ${r.chunksPerSecond.toLocaleString('en-US')} chunks/s; per chunk: ` +
      `${r.faults.toFixed(1)} faults, ${r.zeroed.toFixed(1)} zeroed pages, locks: ${locks}`);
  }
  console.log(`  MADV_FREE / MADV_DONTNEED throughput: ${(rows[0]!.chunksPerSecond / rows[1]!.chunksPerSecond).toFixed(2)}`);
}

async function main(): Promise<void> {
  if (process.argv.includes('--madvise')) { madvise(); return; }
  madvise();
  console.log('primitives (one thread, tinybench):');
  for (const p of await benchPrimitives()) console.log(`  ${p.name.padEnd(56)} ${String(p.nsPerOp).padStart(7)} ns/op`);
  for (const kernel of ['6.11', '6.10']) {
    const t = await throughput(kernel);
    console.log(`free mode, 2 CPUs, ${kernel}: ${t.map((x) => x.toLocaleString('en-US')).join(', ')} iterations/s (median ${median(t).toLocaleString('en-US')})`);
  }
  const raw = await freeModeVsRaw();
  console.log('free mode, 6.11, 2 CPUs, against the raw two-worker Atomics race loop in the same process (rates under our ' +
    'scheduler on this machine, never the kernel\'s):');
  for (const r of raw) {
    console.log(`  seed ${r.seed}: free ${r.iterationsPerSecond.toLocaleString('en-US')}/s, raw loop ${r.rawPerSecond.toLocaleString('en-US')}/s, ` +
      `ratio ${(100 * r.ratio).toFixed(2)}%`);
  }
  console.log(`  median ratio ${(100 * median(raw.map((r) => r.ratio))).toFixed(2)}%`);
  for (const [scenario, kernel] of BUGGY) {
    for (const mode of ['free', 'pct', 'random'] as const) {
      const { ms, iterations } = await timeToFirst(scenario, kernel, mode);
      console.log(`time to first forbidden outcome, ${scenario} ${kernel}, ${mode}: median ${median(ms).toFixed(1)} ms ` +
        `(${median(iterations)} iteration(s); seeds ${SEEDS.join(',')}: ${ms.map((x) => x.toFixed(1)).join(', ')} ms)`);
    }
  }
  console.log(`\n${drainBenchTable(await runDrainBench({ ...DEFAULT_OPTIONS, ...QUICK }))}`);
}

await main();
