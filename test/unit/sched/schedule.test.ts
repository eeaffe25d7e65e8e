import { describe, expect, it } from 'vitest';
import { decodeSchedule, encodeSchedule } from '../../../src/sched/schedule.js';

describe('schedule encoding', () => {
  it('run-length encodes and decodes back to the same sequence', () => {
    const s = [0, 0, 0, 1, 1, 0, 2, 2, 2, 2];
    expect(encodeSchedule(s)).toBe('0x3 1x2 0x1 2x4');
    expect(decodeSchedule(encodeSchedule(s), 3)).toEqual(s);
  });

  it('an empty schedule is an empty string', () => {
    expect(encodeSchedule([])).toBe('');
    expect(decodeSchedule('', 2)).toEqual([]);
  });

  it('rejects a token that is not CPUxCOUNT, and a CPU the run does not have', () => {
    expect(() => decodeSchedule('0x3 banana', 2)).toThrow(/bad schedule token "banana"/);
    expect(() => decodeSchedule('5x1', 2)).toThrow(/names CPU5 but the run has 2 CPUs/);
  });
});
