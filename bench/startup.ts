// Start-up per worker, cold and warm (bench/README.md, "Start-up per worker"):
//   node dist/bench/startup.js [REPS]   each case in a process of its own: `startupMs` of its first run
//                                       (cold workers) and of the two runs after it (warm workers,
//                                       src/host/pool.ts), beside the floor: an empty Node worker.
// Nothing here runs in `npm test`: speed is measured, never asserted.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { runScenario } from '../src/api/run.js';

/** Every CPU drains its batches: a scenario file that runs on any number of CPUs. */
const WIDE = `import { defineScenario, kernel } from 'foliorace';
export default defineScenario({ name: 'wide', summary: 'every CPU drains', seeds: [], before: '6.10', after: '6.11', expect: {},
  cpus: { min: 1, max: 256, default: 2 }, outcomes: { ok: 'acceptable' }, setup() {}, actor(cpu) { kernel.lru_add_drain(cpu); }, check() { return 'ok'; } });
`;

const CASES = [
  { label: 'built-in gup-longterm-vs-activate (6.11)', scenario: 'gup-longterm-vs-activate', cpus: 2 },
  { label: 'a scenario file (every CPU drains)', scenario: 'wide.mjs', cpus: 2 },
  { label: 'the same file', scenario: 'wide.mjs', cpus: 64 },
] as const;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** One case, in this process: the start-up of three runs in a row. */
async function child(i: number, dir: string): Promise<void> {
  const c = CASES[i]!;
  const scenario = c.scenario.endsWith('.mjs') ? join(dir, c.scenario) : c.scenario;
  const o = { scenario, cpus: c.cpus, mode: 'free' as const, seed: '1', iterations: 10, out: null,
    ...(c.scenario.endsWith('.mjs') ? {} : { kernel: '6.11' }) };
  const ms: number[] = [];
  for (let k = 0; k < 3; k++) ms.push((await runScenario(o)).startupMs);
  process.stdout.write(JSON.stringify(ms));
}

/** Milliseconds per worker to start `n` empty workers at once (an ES module that posts one message). */
async function emptyWorkers(n: number): Promise<number> {
  const src = new URL(`data:text/javascript,${encodeURIComponent("import { parentPort } from 'node:worker_threads'; parentPort.postMessage(1);")}`);
  const t0 = performance.now();
  const ws = Array.from({ length: n }, () => new Worker(src));
  await Promise.all(ws.map((w) => new Promise((resolve) => w.once('message', resolve))));
  const ms = (performance.now() - t0) / n;
  await Promise.all(ws.map((w) => w.terminate()));
  return ms;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--case') { await child(Number(process.argv[3]), process.argv[4]!); return; }
  const reps = Number(process.argv[2] ?? 5);
  const dir = mkdtempSync(join(tmpdir(), 'foliorace-startup-'));
  writeFileSync(join(dir, 'wide.mjs'), WIDE);
  await emptyWorkers(2); // the first worker of a process starts slower
  for (const n of [2, 64]) {
    const ms: number[] = [];
    for (let k = 0; k < reps; k++) ms.push(await emptyWorkers(n));
    console.log(`floor: ${n} empty workers at once: ${median(ms).toFixed(1)} ms per worker (median of ${reps})`);
  }
  console.log('| what | CPUs | first run | next runs |\n| --- | ---: | ---: | ---: |');
  const self = fileURLToPath(import.meta.url);
  for (const [i, c] of CASES.entries()) {
    const first: number[] = [], next: number[] = [];
    for (let k = 0; k < reps; k++) {
      const ms = JSON.parse(execFileSync(process.execPath, [self, '--case', String(i), dir], { encoding: 'utf8' })) as number[];
      first.push(ms[0]!);
      next.push(ms[1]!, ms[2]!);
    }
    const per = (x: number): string => `${Math.round(x)} ms (${(x / c.cpus).toFixed(1)} ms/worker)`;
    console.log(`| ${c.label} | ${c.cpus} | ${per(median(first))} | ${per(median(next))} |`);
  }
}

await main();
