// A schedule as text: run lengths of the CPU passing each preemption point, "0x12 1x3 0x40".
// Compact enough for failure files, readable enough to edit by hand.

export function encodeSchedule(cpus: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < cpus.length;) {
    let j = i;
    while (j < cpus.length && cpus[j] === cpus[i]) j++;
    parts.push(`${cpus[i]}x${j - i}`);
    i = j;
  }
  return parts.join(' ');
}

/**
 * Parses a schedule of at most `maxSteps` steps; throws a RangeError naming the bad token, or the
 * step count, before anything is expanded (a hand-edited "0x99999999999" must not fill memory).
 */
export function decodeSchedule(text: string, ncpus: number, maxSteps = Number.MAX_SAFE_INTEGER): number[] {
  const runs: [number, number][] = [];
  let steps = 0;
  for (const tok of text.trim().split(/\s+/).filter((t) => t.length > 0)) {
    const m = /^(\d{1,9})x(\d{1,16})$/.exec(tok);
    if (!m) throw new RangeError(`bad schedule token "${tok.slice(0, 40)}" (want CPUxCOUNT, e.g. 0x12)`);
    const cpu = Number(m[1]);
    const n = Number(m[2]);
    if (cpu >= ncpus) throw new RangeError(`schedule names CPU${cpu} but the run has ${ncpus} CPUs`);
    if (n < 1) throw new RangeError(`bad schedule token "${tok}" (a count is at least 1)`);
    steps += n;
    if (steps > maxSteps) {
      throw new RangeError(`the schedule has more than ${maxSteps.toLocaleString('en-US')} steps, the scenario's limit (machine.scheduleCapacity)`);
    }
    runs.push([cpu, n]);
  }
  const out = new Array<number>(steps);
  let at = 0;
  for (const [cpu, n] of runs) out.fill(cpu, at, (at += n));
  return out;
}
