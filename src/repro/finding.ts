// What an iteration found, by name: the forbidden or undeclared outcome, the violated invariant,
// the scenario's own error, or the CPUs' waits of a deadlock. Two findings are "the same" when
// kind and name agree; two livelocks, when the same CPU made no progress (sameFinding).
import type { Scenario } from '../scenario/define.js';
import { describeViolation } from '../cpu/invariants.js';
import type { FirstFailure } from '../host/run-machine.js';

export type FindingOf = Pick<FirstFailure, 'kind' | 'code' | 'args' | 'sites'>;

/** What one run knows beside the machine's words: its undeclared outcomes (in order) and its fault. */
export interface RunNames {
  unknown: readonly string[];
  fault: string | null;
}

/** Where a livelock's name gives the site its count ran out at: the part sameFinding leaves out. */
const LAST_AT = ', last at ';

export function findingName(s: Scenario, f: FindingOf, names: RunNames = { unknown: [], fault: null }): string {
  switch (f.kind) {
    case 'forbidden': return Object.keys(s.outcomes)[f.code] ?? `outcome ${f.code}`;
    case 'unknown': return names.unknown[f.code] ?? `unknown outcome ${f.code}`;
    case 'violation': return describeViolation({ code: f.code, subject: f.args[0], a: f.args[1], b: f.args[2] });
    case 'error': return names.fault ?? `scenario error on CPU${f.code}`;
    case 'deadlock': return `deadlock: ${f.sites.map((site, c) => `CPU${c} in ${site || 'its idle loop'}`).join(', ')}`;
    case 'livelock': return `livelock: CPU${f.code} made no progress for ${f.args[0]} steps${LAST_AT}${f.sites[f.code] || 'an unknown site'}`;
  }
}

/** The finding an exact reproduction must give back. */
export interface Target {
  kind: FirstFailure['kind'];
  name: string;
}

export function sameTarget(s: Scenario, t: Target, f: FindingOf | null): boolean {
  return f !== null && f.kind === t.kind && sameFinding(t.kind, findingName(s, f), t.name);
}

/**
 * Whether findings of `kind` named `a` and `b` are the same. A livelock is a loop: where its count of
 * steps without progress runs out depends on where the count began (free mode counts otherwise than
 * a controlled run), not on the loop, so its name's last site is not part of what it is.
 */
export function sameFinding(kind: FindingOf['kind'], a: string, b: string): boolean {
  if (kind !== 'livelock') return a === b;
  const loop = (name: string): string => name.split(LAST_AT)[0]!;
  return loop(a) === loop(b);
}
