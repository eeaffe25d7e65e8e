// Hostile values for the robustness suite: the values a fuzzer tries first, and a seeded generator
// for more (tests never use ambient randomness: a failing case names its seed and index).
import { nextBelow, seedPrng } from '../../dist/src/sched/prng.js';
import { hashSeed } from '../../dist/src/sched/prng.js';

/** Values of every JSON type, and the edges of integers and strings. */
export const HOSTILE_VALUES: readonly unknown[] = [
  null, true, false, 0, -1, 1.5, -0.5, 2 ** 31, 2 ** 53, -(2 ** 31), 1e308, '', ' ', '0', '1', 'NaN', '-1', 'x'.repeat(5000),
  '\u0000', '__proto__', 'constructor', [], [1], {}, { a: 1 }, { constructor: true },
];

/** A generator of integers below `n`, seeded from `seed` (stream `stream`). */
export function generator(seed: string, stream: number): (n: number) => number {
  const s = new Int32Array(4);
  seedPrng(s, 0, hashSeed(seed), stream, 0);
  return (n) => nextBelow(s, 0, n);
}

/** Schedule text that a hand or a broken editor could produce. */
export function hostileSchedule(next: (n: number) => number): string {
  const tokens: string[] = [];
  const n = 1 + next(6);
  for (let i = 0; i < n; i++) {
    switch (next(9)) {
      case 0: tokens.push(`${next(3)}x${1 + next(50)}`); break;
      case 1: tokens.push(`${next(3)}x${10 ** (1 + next(15))}`); break; // huge counts
      case 2: tokens.push(`${next(400)}x1`); break; // CPUs the run may not have
      case 3: tokens.push(`${next(3)}x0`); break;
      case 4: tokens.push(`${next(3)}x-${next(9)}`); break;
      case 5: tokens.push(['x', '0x', 'x1', '0y1', '0x1x1', '٣x1', '0x1e9', '0x0x1'][next(8)]!); break;
      case 6: tokens.push(`${'9'.repeat(1 + next(30))}x${1 + next(5)}`); break;
      case 7: tokens.push(`${next(2)}x${'9'.repeat(10 + next(20))}`); break;
      default: tokens.push(`${next(2)}x${1 + next(3)}`);
    }
  }
  return tokens.join([' ', '  ', '\n', '\t'][next(4)]!);
}
