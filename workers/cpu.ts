// The worker entry of one simulated CPU: wiring only; the logic is in src/cpu/control.ts.
import { isMainThread, parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { createCpuControl } from '../src/cpu/control.js';

if (isMainThread || parentPort === null) throw new Error('workers/cpu.ts must run inside a worker_thread');
Comlink.expose(createCpuControl(), nodeEndpoint(parentPort));
