// PCT schedules as requests for the replay strategy (conversion's last phase, repro/convert.ts).
// As in PCT (pct.ts), the CPUs get random distinct priorities and d−1 random change points among
// `steps`; at a change point the running CPU drops below every other. The request lists, step by
// step, the CPU of highest priority; where it cannot run the replay lets the running CPU go on,
// which for two CPUs is exactly PCT's choice (the other one), and for more is close to it.
import { nextBelow } from './prng.js';

/** A PCT request of `steps` steps for `ncpus` CPUs and `depth` (1: no change point), from `prng`. */
export function pctRequest(prng: Int32Array, ncpus: number, steps: number, depth: number): number[] {
  const prio = Array.from({ length: ncpus }, (_, c) => depth - 1 + c);
  for (let c = ncpus - 1; c > 0; c--) {
    const j = nextBelow(prng, 0, c + 1);
    [prio[c], prio[j]] = [prio[j]!, prio[c]!];
  }
  const change = Array.from({ length: depth - 1 }, () => 1 + nextBelow(prng, 0, Math.max(1, steps)));
  const out: number[] = [];
  let cur = prio.indexOf(Math.max(...prio));
  for (let s = 0; s < steps; s++) {
    change.forEach((at, i) => { if (at === s) prio[cur] = i; });
    cur = prio.indexOf(Math.max(...prio));
    out.push(cur);
  }
  return out;
}
