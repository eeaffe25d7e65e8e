// report/num.ts: what toLocaleString('en-US') prints, integers grouped without it.
import { describe, expect, it } from 'vitest';
import { num } from '../../../src/report/num.js';

describe('num', () => {
  it('prints every number as toLocaleString(\'en-US\') does', () => {
    const values = [0, -0, 1, 12, 123, 1234, -1234, 12_345, 999_999, 1_000_000, -98_765_432, Number.MAX_SAFE_INTEGER,
      2 ** 60, 1.5, 1234.5678, -0.25, 1e21, NaN, Infinity];
    let x = 12345; // a fixed linear congruential sequence: the same values every run
    for (let k = 0; k < 200; k++) { x = (x * 1103515245 + 12345) % 2 ** 31; values.push(Math.floor((x / 2 ** 30 - 1) * 10 ** (k % 16))); }
    for (const v of values) expect(num(v), String(v)).toBe(v.toLocaleString('en-US'));
  });
});
