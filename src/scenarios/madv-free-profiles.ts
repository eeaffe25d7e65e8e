// What the two MADV_FREE data-loss scenarios share: the discussion they model and the profiles
// that must show the loss (the naive rule) or never show it (Minchan's v3 rule and mainline).
import type { Expectation } from '../scenario/index.js';

export const MADV_FREE_THREAD = 'Minchan Kim 2014 "mm: support madvise(MADV_FREE)" RFC–v6 and its review (not merged)';

export const MADV_FREE_PROFILES = {
  before: '3.14-madvfree-naive',
  after: '3.14-madvfree-v3',
  expect: {
    '3.14-madvfree-naive': 'found', '3.14-madvfree-v3': 'never', '5.17': 'never', '5.19': 'never',
    '6.10': 'never', '6.11': 'never', '6.17': 'never',
  } as Readonly<Record<string, Expectation>>,
} as const;
