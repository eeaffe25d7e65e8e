// A copy of every word that holds model state (boot.ts modelSpans), kept in the copying thread's
// own memory, and its restoration: how a run returns to its scenario's initial state every
// iteration, and the drain bench to its population every rep.
import type { Layout } from '../shm/layout.js';
import { modelSpans } from '../kernel/boot.js';

export class ModelSnapshot {
  /** Each span's base and its saved words (views into one buffer). */
  private readonly spans: { at: number; words: Int32Array }[];

  constructor(m: Int32Array, L: Layout) {
    const spans = modelSpans(m, L);
    const saved = new Int32Array(spans.reduce((n, [a, b]) => n + b - a, 0));
    let at = 0;
    this.spans = spans.map(([a, b]) => {
      const words = saved.subarray(at, at + b - a);
      words.set(m.subarray(a, b));
      at += b - a;
      return { at: a, words };
    });
  }

  /** Plain stores (a block copy per span): the caller owns the machine (every other CPU is parked at a barrier). */
  restore(m: Int32Array): void {
    for (const s of this.spans) m.set(s.words, s.at);
  }
}
