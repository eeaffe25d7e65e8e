// The built-in scenarios, by name.
import type { Scenario } from '../scenario/index.js';
import gupLongtermVsActivate from './gup-longterm-vs-activate.js';
import gupRemotePinTouch from './gup-remote-pin-touch.js';
import wpReuseLocalBatch from './wp-reuse-local-batch.js';
import wpSwapcacheReuseAfterFork from './wp-swapcache-reuse-after-fork.js';
import { swapinExclusiveStableWrites, swapinExclusiveStableWritesZram } from './swapin-exclusive-stable-writes.js';
import madvFreeRedirtyVsReclaim from './madv-free-redirty-vs-reclaim.js';
import madvFreeSwapinCleanPte from './madv-free-swapin-clean-pte.js';
import sameFolioTwoBatches from './same-folio-two-batches.js';
import gupPinUnisolatedCma from './gup-pin-unisolated-cma.js';
import swapinSkipCacheRace from './swapin-skip-cache-race.js';
import madvFreeDioRead from './madv-free-dio-read.js';
import gupPinMlockedFault from './gup-pin-mlocked-fault.js';
import gupLongtermNeverLru from './gup-longterm-never-lru.js';
import swapinSoleOwnerWrite from './swapin-sole-owner-write.js';
import reclaimVsMlockedSwapin from './reclaim-vs-mlocked-swapin.js';
import { SELFTEST_SCENARIOS } from './selftests/index.js';
import { MEMORY_SCENARIOS } from './memory/index.js';

export const BUILTIN_SCENARIOS: readonly Scenario[] = [
  gupLongtermVsActivate, gupRemotePinTouch, wpReuseLocalBatch, wpSwapcacheReuseAfterFork, swapinExclusiveStableWrites,
  swapinExclusiveStableWritesZram, madvFreeRedirtyVsReclaim, madvFreeSwapinCleanPte, sameFolioTwoBatches,
  gupPinUnisolatedCma, swapinSkipCacheRace, madvFreeDioRead, gupPinMlockedFault, gupLongtermNeverLru,
  swapinSoleOwnerWrite, reclaimVsMlockedSwapin,
];

/** A built-in scenario, a ported selftest case (src/scenarios/selftests) or a weak-memory scenario (memory/), by name. */
export function builtinScenario(name: string): Scenario | undefined {
  return BUILTIN_SCENARIOS.find((s) => s.name === name) ?? SELFTEST_SCENARIOS.find((s) => s.name === name) ??
    MEMORY_SCENARIOS.find((s) => s.name === name);
}
