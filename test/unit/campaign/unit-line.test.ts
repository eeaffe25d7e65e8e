// The per-unit progress line of `foliorace campaign`: every kind of finding the merged verdicts
// count is counted here too, undeclared (UNKNOWN) outcomes included.
import { describe, expect, it } from 'vitest';
import { unitLine } from '../../../src/cli/campaign.js';
import type { Cell } from '../../../src/campaign/plan.js';
import type { UnitResult } from '../../../src/campaign/result.js';

const cell = { key: 'race · 6.10 · pct' } as Cell;
const unit = (t: Partial<UnitResult>): UnitResult => ({
  unit: 0, cell: cell.key, seed: '1', iterations: 1000, elapsedMs: 1500, watchdog: null, failure: null,
  outcomes: [], forbidden: 0, violations: 0, deadlocks: 0, livelocks: 0, unknown: 0, ...t,
});

describe('unitLine', () => {
  it('says nothing forbidden only when nothing at all was found', () => {
    expect(unitLine(unit({}), cell, 1, 4)).toMatch(/^\[1\/4\] race · 6\.10 · pct · seed 1: 1,000 iterations, nothing forbidden \(/);
  });

  it('counts undeclared outcomes, violations and deadlocks beside forbidden ones', () => {
    expect(unitLine(unit({ unknown: 3 }), cell, 2, 4)).toContain('FORBIDDEN 0, UNKNOWN 3');
    expect(unitLine(unit({ forbidden: 2, violations: 1, deadlocks: 1, unknown: 5 }), cell, 3, 4))
      .toContain('FORBIDDEN 2, violations 2, UNKNOWN 5');
  });
});
