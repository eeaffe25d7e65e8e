// The provenance of a reference count in a race diagram: "f0 ref 2 = migration's isolation + CPU1
// lru_activate batch slot 0", read from the words the model noted at the failed migration
// refcount check (RefHolders in shm/layout.ts, kernel/ref-holders.ts).
import { BATCH_NAMES, RefHolders, type Layout } from '../shm/layout.js';
import type { TraceEvent } from '../shm/decode.js';
import { raceDiagram } from './diagram.js';

/** GUP_PIN_COUNTING_BIAS (kernel/gup.ts): what one FOLL_PIN adds. */
const PIN_BIAS = 1 << 10;

/** The line, or '' when no refcount check failed in the iteration. */
export function refHoldersLine(w: readonly number[]): string {
  if (w[RefHolders.SEEN] !== 1) return '';
  const ref = w[RefHolders.REF]!;
  const parts: string[] = [];
  let known = 0;
  const add = (n: number, one: string, many = one): void => {
    if (n <= 0) return;
    parts.push(n === 1 ? one : `${n} ${many}`);
    known += n;
  };
  add(w[RefHolders.MAPPINGS]!, 'mapping', 'mappings');
  add(w[RefHolders.SWAPCACHE]!, 'swap cache');
  add(w[RefHolders.ISOLATED]!, "migration's isolation", 'isolations');
  const pins = w[RefHolders.PINS]!;
  if (pins > 0) { parts.push(pins === 1 ? `FOLL_PIN (${PIN_BIAS})` : `${pins} FOLL_PINs (${pins * PIN_BIAS})`); known += pins * PIN_BIAS; }
  add(w[RefHolders.EXTRA]!, "a caller's own reference", "callers' own references");
  for (let i = 0; i < w[RefHolders.NSLOTS]!; i++) {
    const at = RefHolders.SLOTS + 3 * i;
    parts.push(`CPU${w[at]} ${BATCH_NAMES[w[at + 1]!] ?? `batch ${w[at + 1]}`} batch slot ${w[at + 2]}`);
    known++;
  }
  if (ref > known) parts.push(`${ref - known} not accounted for`);
  return `at the failed refcount check:\n  f${w[RefHolders.FOLIO]} ref ${ref} = ${parts.join(' + ') || 'nothing'}`;
}

/**
 * The race diagram of a failure, and who held the references where a refcount check failed. A
 * deadlock's diagram ends with each CPU's wait; a livelock's draws the looping CPU's loop.
 */
export function failureDiagram(L: Layout, f: DiagramOf, cpus: number): string {
  const holders = refHoldersLine(f.refHolders);
  const ends = f.kind === 'deadlock' ? { waits: f.sites ?? [] } : f.kind === 'livelock' ? { loopCpu: f.code ?? 0 } : {};
  return raceDiagram(L, f.events, cpus, ends) + (holders ? `\n${holders}` : '');
}

/** What failureDiagram() draws: a failure's events and reference holders, and for a deadlock or livelock its kind. */
export interface DiagramOf {
  events: readonly TraceEvent[];
  refHolders: readonly number[];
  /** The finding kind's name (cpu/finding-kind.ts). */
  kind?: string;
  code?: number;
  sites?: readonly string[];
}
