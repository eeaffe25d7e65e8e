// Scenarios about the memory model (docs/memory.md): the kernel's litmus tests, and the mm race a
// barrier closes. Kept apart from the built-in scenarios, as the selftests are, so that `npm start`
// and the sc results stay as they were; `run`, `replay` and `shrink` find them by name.
import type { Scenario } from '../../scenario/index.js';
import { LITMUS_SCENARIOS } from './litmus.js';
import madvFreeDioGupFast from './madv-free-dio-gup-fast.js';

export const MEMORY_SCENARIOS: readonly Scenario[] = [...LITMUS_SCENARIOS, madvFreeDioGupFast];
