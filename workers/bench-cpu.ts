// The worker entry of one simulated CPU of `foliorace bench drain`: wiring only; the logic is in
// src/drain-bench/bench-cpu.ts.
import { isMainThread, parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { createBenchCpu } from '../src/drain-bench/bench-cpu.js';

if (isMainThread || parentPort === null) throw new Error('workers/bench-cpu.ts must run inside a worker_thread');
Comlink.expose(createBenchCpu(), nodeEndpoint(parentPort));
