// The model's own work, one thread, this build against another: what the access layer, the patch
// table and the store-buffer hook cost the kernel functions when no hook and no patch is loaded,
// without free mode's synchronisation between CPU workers (whose wall time on this shared 2-core
// host moves by ±25% from run to run). Each round runs the same sequence of model calls (the
// primitives bench's: activate/drain/deactivate, a full batch each way, isolate/putback) on a
// local machine of each build in turn, in one process, timed by CPU time (process.cpuUsage), not
// wall time, so that a descheduled thread does not count. The figure is the median over rounds of
// this build's time over the other's.
//
//   npm run build && node dist/bench/model-work.js ../other/dist [rounds]
//
// `../other/dist` is another checkout's built dist/ (it must have src/host/local-machine.js).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

interface Build {
  label: string;
  work: () => void;
}

const OPS_PER_ROUND = 4000;

async function build(dist: string, label: string): Promise<Build> {
  const at = (p: string): Promise<Record<string, (...a: never[]) => unknown>> => import(pathToFileURL(resolve(dist, p)).href);
  const { localMachine } = await at('src/host/local-machine.js') as unknown as { localMachine: (k: string, o: object) => { cpus: unknown[] } };
  const mem = await at('src/kernel/memory.js');
  const swap = await at('src/kernel/swap.js');
  const vmscan = await at('src/kernel/vmscan.js');
  const lm = localMachine('6.10', { folios: 64, cmaFolios: 0, ptesPerMm: 64 });
  const cpu = lm.cpus[0];
  type Fn = (...a: unknown[]) => unknown;
  const call = (mod: Record<string, unknown>, name: string): Fn => mod[name] as Fn;
  const [anon, activate, deactivate, drain, isolate, putback] = [call(mem, 'do_anonymous_page'), call(swap, 'folio_activate'),
    call(swap, 'folio_deactivate'), call(swap, 'lru_add_drain'), call(vmscan, 'folio_isolate_lru'), call(vmscan, 'folio_putback_lru')];
  const folios = Array.from({ length: 31 }, (_, i) => anon(cpu, 0, i, 0, i) as number);
  drain(cpu);
  const f0 = folios[0]!;
  return {
    label,
    work(): void {
      for (let i = 0; i < OPS_PER_ROUND; i++) {
        activate(cpu, f0); drain(cpu); deactivate(cpu, f0); drain(cpu);
        isolate(cpu, f0); putback(cpu, f0); drain(cpu);
        if (i % 16 === 0) { for (const f of folios) activate(cpu, f); for (const f of folios) deactivate(cpu, f); }
      }
    },
  };
}

function cpuMs(fn: () => void): number {
  const t = process.cpuUsage();
  fn();
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1000;
}

const median = (v: number[]): number => { const s = [...v].sort((a, b) => a - b); const h = s.length >> 1; return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2; };

async function main(): Promise<void> {
  const other = process.argv[2];
  if (!other) { process.stderr.write('usage: node dist/bench/model-work.js OTHER_DIST [rounds]\n'); process.exit(2); }
  const rounds = Number(process.argv[3] ?? 30);
  const mine = await build(resolve(new URL('..', import.meta.url).pathname), 'this build');
  const theirs = await build(resolve(other), other);
  for (let i = 0; i < 3; i++) { mine.work(); theirs.work(); } // warm-up: both optimised before timing
  const a: number[] = [], b: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const [first, second] = r % 2 === 0 ? [mine, theirs] : [theirs, mine];
    const t1 = cpuMs(first.work), t2 = cpuMs(second.work);
    (first === mine ? a : b).push(t1);
    (second === mine ? a : b).push(t2);
  }
  const ratios = a.map((x, i) => x / b[i]!);
  process.stdout.write(`${rounds} rounds of ${OPS_PER_ROUND} op sequences, CPU time per round (ms), alternated:\n` +
    `  ${theirs.label}: median ${median(b).toFixed(1)}\n  this build: median ${median(a).toFixed(1)}\n` +
    `  this build / other: median of per-round ratios ${median(ratios).toFixed(3)}, ratio of medians ${(median(a) / median(b)).toFixed(3)}\n`);
}

await main();
