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

/** Parses a schedule; throws a RangeError naming the bad token. */
export function decodeSchedule(text: string, ncpus: number): number[] {
  const out: number[] = [];
  for (const tok of text.trim().split(/\s+/).filter((t) => t.length > 0)) {
    const m = /^(\d+)x(\d+)$/.exec(tok);
    if (!m) throw new RangeError(`bad schedule token "${tok}" (want CPUxCOUNT, e.g. 0x12)`);
    const cpu = Number(m[1]);
    const n = Number(m[2]);
    if (cpu >= ncpus) throw new RangeError(`schedule names CPU${cpu} but the run has ${ncpus} CPUs`);
    for (let i = 0; i < n; i++) out.push(cpu);
  }
  return out;
}
