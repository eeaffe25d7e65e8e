// A copy of every word that holds model state (modelSpans below), kept in the copying thread's
// own memory, and its restoration: how a run returns to its scenario's initial state every
// iteration, and the drain bench to its population every rep.
import type { Layout } from '../shm/layout.js';
import { bootPlan } from '../kernel/boot.js';

/**
 * Spans at least this long are restored with a block copy (TypedArray.set), shorter ones word by
 * word: a set() call costs about as much as copying a few dozen words, and most spans are one to
 * eight words (lock words, list heads, batch slots). An empty iteration's restore took 0.9 µs with
 * a set() per span and 0.5 µs with this split (bench/README.md, "Free mode"); 8, 16 and 32 did alike.
 */
const BLOCK_WORDS = 16;

export class ModelSnapshot {
  /** The long spans: each one's base and its saved words (views into one buffer). */
  private readonly blocks: { at: number; words: Int32Array }[];
  /** The words of the short spans, and their saved values. */
  private readonly addrs: Int32Array;
  private readonly values: Int32Array;

  constructor(m: Int32Array, L: Layout) {
    const spans = modelSpans(m, L);
    const long = spans.filter(([a, b]) => b - a >= BLOCK_WORDS);
    const saved = new Int32Array(long.reduce((n, [a, b]) => n + b - a, 0));
    let at = 0;
    this.blocks = long.map(([a, b]) => {
      const words = saved.subarray(at, at + b - a);
      words.set(m.subarray(a, b));
      at += b - a;
      return { at: a, words };
    });
    this.addrs = Int32Array.from(spans.filter(([a, b]) => b - a < BLOCK_WORDS).flatMap(([a, b]) => Array.from({ length: b - a }, (_, i) => a + i)));
    this.values = this.addrs.map((w) => m[w]!);
  }

  /** Plain stores: the caller owns the machine (every other CPU is parked at a barrier). */
  restore(m: Int32Array): void {
    for (const s of this.blocks) m.set(s.words, s.at);
    const { addrs, values } = this;
    for (let i = 0; i < addrs.length; i++) m[addrs[i]!] = values[i]!;
  }
}

/**
 * Every word that holds model state in machine `m` now: the spans boot_machine sets, plus the
 * batch slots in use (a slot at or past its batch's FBATCH_NR means nothing).
 */
export function modelSpans(m: Int32Array, L: Layout): [number, number][] {
  const plan = bootPlan(L);
  // The folio records whole (FOLIO_ZONE is static, so restoring it changes nothing), then the rest.
  const spans: [number, number][] = [[L.FOLIO_REC, L.FOLIO_REC + L.sizes.FOLIO_REC]];
  for (let s = 0; s < plan.length; s += 3) {
    if (plan[s]! < L.FOLIO_REC || plan[s]! >= L.FOLIO_REC + L.sizes.FOLIO_REC) spans.push([plan[s]!, plan[s + 1]!]);
  }
  for (let cb = 0; cb < L.sizes.FBATCH_NR; cb++) {
    const nr = Atomics.load(m, L.FBATCH_NR + cb);
    const at = L.FBATCH_SLOT + cb * L.config.batchSize;
    if (nr > 0) spans.push([at, at + nr]);
  }
  return spans;
}
