// The yardstick for free mode's throughput: a hand-written two-worker Atomics race loop, the least a
// stress harness on this host can cost per iteration. Each iteration, both workers store their
// flag and load the other's (the store-buffering litmus test, as jcstress runs it), then meet at a
// spinning barrier (one Atomics.add and a spin on a shared word). Measured in the same process as
// free mode, the ratio of the two says how far the emulator is from the host's floor, whatever
// else the host is doing at the time.
import { Worker } from 'node:worker_threads';

const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const m = new Int32Array(workerData.sab);
const me = workerData.id, other = 1 - me, n = workerData.iterations;
const FLAG = 0, ARRIVED = 16, SEEN = 32; // one 64-byte line each
let seenBoth = 0;
Atomics.add(m, ARRIVED, 1);
while (Atomics.load(m, ARRIVED) < 2) {}
const t0 = performance.now();
for (let i = 1; i <= n; i++) {
  Atomics.store(m, FLAG + me, i);
  if (Atomics.load(m, FLAG + other) >= i) seenBoth++;
  const target = 2 * (i + 1);
  Atomics.add(m, ARRIVED, 1);
  while (Atomics.load(m, ARRIVED) < target) {}
}
Atomics.add(m, SEEN, seenBoth);
parentPort.postMessage(performance.now() - t0);
`;

/** Iterations per second of the raw loop over `iterations` iterations (both workers on their own thread). */
export async function rawLoopRate(iterations = 2_000_000): Promise<number> {
  const sab = new SharedArrayBuffer(64 * 4);
  const workers = [0, 1].map((id) => new Worker(WORKER, { eval: true, workerData: { sab, id, iterations } }));
  const ms = await Promise.all(workers.map((w) => new Promise<number>((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  })));
  await Promise.all(workers.map((w) => w.terminate()));
  return Math.round(iterations / (Math.max(...ms) / 1000));
}
