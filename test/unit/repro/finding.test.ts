// Which findings are the same: by kind and name; a livelock by the CPU that made no progress,
// wherever its count of steps ran out.
import { describe, expect, it } from 'vitest';
import { sameFinding } from '../../../src/repro/finding.js';

describe('sameFinding', () => {
  const at = (site: string, cpu = 0): string => `livelock: CPU${cpu} made no progress for 10000 steps, last at ${site}`;

  it('a livelock is the same livelock at another last site, not on another CPU or after another count', () => {
    expect(sameFinding('livelock', at('folio_get'), at('test_and_clear_bit'))).toBe(true);
    expect(sameFinding('livelock', at('folio_get', 0), at('folio_get', 1))).toBe(false);
    expect(sameFinding('livelock', at('folio_get'), at('folio_get').replace('10000', '20000'))).toBe(false);
  });

  it('every other kind is the same only by its whole name', () => {
    expect(sameFinding('forbidden', 'pin-failed-batch-ref', 'pin-failed-batch-ref')).toBe(true);
    expect(sameFinding('forbidden', 'pin-failed-batch-ref', 'pin-failed-batch-ref, last at folio_get')).toBe(false);
    expect(sameFinding('deadlock', 'deadlock: CPU0 in spin_lock, CPU1 in mutex_lock', 'deadlock: CPU0 in spin_lock, CPU1 in folio_lock')).toBe(false);
  });
});
