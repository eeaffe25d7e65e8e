// What an iteration can find, defined once: the code CPU0 records in Ctrl.FAIL_KIND, and the name
// every report, failure file, replay string and campaign result uses for it.

/** Codes recorded in Ctrl.FAIL_KIND (0: nothing found). */
export const Finding = { NONE: 0, FORBIDDEN: 1, VIOLATION: 2, DEADLOCK: 3, ERROR: 4, UNKNOWN: 5 } as const;

/**
 * Names by code - 1. `error`: the scenario's own code threw (a replay throws again); `unknown`: an
 * outcome check() returned that the scenario does not declare.
 */
export const FINDING_KINDS = ['forbidden', 'violation', 'deadlock', 'error', 'unknown'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** The kinds a run's report lists as failures (a scenario's error is reported as such, apart). */
export type ReportedFindingKind = Exclude<FindingKind, 'error'>;

/** The name of code `code` of Ctrl.FAIL_KIND, or null for none. */
export function findingKindOf(code: number): FindingKind | null {
  return FINDING_KINDS[code - 1] ?? null;
}
