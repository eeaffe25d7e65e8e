// A copy of every word that holds model state (boot.ts modelSpans), kept in the copying thread's
// own memory, and its restoration: how a run returns to its scenario's initial state every
// iteration, and the drain bench to its population every rep.
import type { Layout } from '../shm/layout.js';
import { modelSpans } from '../kernel/boot.js';

export class ModelSnapshot {
  private readonly spans: [number, number][];
  private readonly saved: Int32Array;

  constructor(m: Int32Array, L: Layout) {
    this.spans = modelSpans(m, L);
    this.saved = new Int32Array(this.spans.reduce((n, [a, b]) => n + b - a, 0));
    let at = 0;
    for (const [a, b] of this.spans) { this.saved.set(m.subarray(a, b), at); at += b - a; }
  }

  /** Plain stores: the caller owns the machine (every other CPU is parked at a barrier). */
  restore(m: Int32Array): void {
    let at = 0;
    const saved = this.saved;
    for (const [a, b] of this.spans) for (let i = a; i < b; i++) m[i] = saved[at++]!;
  }
}
