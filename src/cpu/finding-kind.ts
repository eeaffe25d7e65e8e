// What an iteration can find, defined once: the code CPU0 records in Ctrl.FAIL_KIND, and the name
// every report, failure file, replay string and campaign result uses for it.

/** Codes recorded in Ctrl.FAIL_KIND (0: nothing found). */
export const Finding = { NONE: 0, FORBIDDEN: 1, VIOLATION: 2, DEADLOCK: 3, ERROR: 4, UNKNOWN: 5, LIVELOCK: 6 } as const;

/**
 * Names by code - 1. `error`: the scenario's own code threw (a replay throws again); `unknown`: an
 * outcome check() returned that the scenario does not declare; `livelock`: a CPU passed
 * livelockSteps() preemption points while no other CPU could run (in a controlled run every other
 * one finished or blocked; in free mode every other one finished, with no work queued to it), so
 * nothing could change what it waited for: it made no progress (cpu/context.ts). A livelock ends
 * its run (cpu/iterate.ts).
 */
export const FINDING_KINDS = ['forbidden', 'violation', 'deadlock', 'error', 'unknown', 'livelock'] as const;

/**
 * Preemption points a CPU may pass alone (no other CPU runnable) before its iteration is a livelock:
 * 10,000, or half the machine's scheduleCapacity if that is less, so that a livelock is found before
 * the schedule log is full. Built-in scenarios' iterations take hundreds to a few thousand; a retry
 * loop of ~30 steps a turn shows as a livelock after some 300 turns.
 */
export function livelockSteps(scheduleCapacity: number): number {
  return Math.min(LIVELOCK_STEPS, scheduleCapacity >> 1);
}

/** The bound itself: free mode logs no schedule, so its bound is this whatever the capacity (the drain bench's is 1). */
export const LIVELOCK_STEPS = 10_000;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** The kinds a run's report lists as failures (a scenario's error is reported as such, apart). */
export type ReportedFindingKind = Exclude<FindingKind, 'error'>;

/** The name of code `code` of Ctrl.FAIL_KIND, or null for none. */
export function findingKindOf(code: number): FindingKind | null {
  return FINDING_KINDS[code - 1] ?? null;
}
