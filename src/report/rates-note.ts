// The one sentence every output that prints a count or rate of findings carries: a rate of finding
// a race is the rate under foliorace's scheduler on the machines that ran it, never the kernel's.

/** "<what> are rates under foliorace's scheduler on this machine, not the kernel's" */
export function ratesNote(what: string, machines: 'this machine' | 'these machines' = 'this machine'): string {
  return `${what} are rates under foliorace's scheduler on ${machines}, not the kernel's`;
}
