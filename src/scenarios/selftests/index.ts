// The kernel's mm selftests ported as scenarios (docs/selftests.md): one scenario per in-scope
// case of cow.c and gup_longterm.c, named after the case as the selftest prints it. Kept apart
// from the built-in scenarios so that `npm start` and `foliorace list` stay readable; `run`,
// `compare` and `replay` find them by name all the same, and `foliorace selftests` runs them all.
import type { Scenario } from '../../scenario/index.js';
import { COW_IN_PARENT } from './cow-in-parent.js';
import { COW_IOURING } from './cow-iouring.js';
import { COW_RO_PIN } from './cow-ro-pin.js';
import { COW_VMSPLICE } from './cow-vmsplice.js';

export const SELFTEST_SCENARIOS: readonly Scenario[] = [...COW_IN_PARENT, ...COW_VMSPLICE, ...COW_IOURING, ...COW_RO_PIN];
