// What an iteration found, by name: the forbidden outcome, the violated invariant, or the CPUs'
// waits of a deadlock. Two findings are "the same" when kind and name agree.
import type { Scenario } from '../scenarios/define.js';
import { describeViolation } from './invariants.js';
import type { FirstFailure } from './run.js';

export type FindingOf = Pick<FirstFailure, 'kind' | 'code' | 'args' | 'sites'>;

export function findingName(s: Scenario, f: FindingOf): string {
  if (f.kind === 'forbidden') return Object.keys(s.outcomes)[f.code] ?? `outcome ${f.code}`;
  if (f.kind === 'violation') return describeViolation({ code: f.code, subject: f.args[0], a: f.args[1], b: f.args[2] });
  return `deadlock: ${f.sites.map((site, c) => `CPU${c} in ${site || 'its idle loop'}`).join(', ')}`;
}

/** The finding an exact reproduction must give back. */
export interface Target {
  kind: FirstFailure['kind'];
  name: string;
}

export function sameTarget(s: Scenario, t: Target, f: FindingOf | null): boolean {
  return f !== null && f.kind === t.kind && findingName(s, f) === t.name;
}
