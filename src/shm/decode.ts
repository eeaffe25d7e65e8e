// Cold-path readers of the machine for reports: the first failure's trace and schedule. Called by
// the main thread after every worker has finished, so plain reads would do; Atomics keep it uniform.
import { Ctrl, DECISION_FLAG, FLUSH_FLAG, TRACE_EVENT_WORDS, type Layout } from './layout.js';

export interface TraceEvent {
  cpu: number;
  /** Global order: the free-mode ticket, or the controlled-mode step. */
  ticket: number;
  /** Position in its CPU's trace (orders events of one ticket). */
  seq: number;
  site: number;
  /** A free-mode preemption point (a schedule step), not an operation. */
  decision: boolean;
  /** A store-buffer flush step (--memory tso): it belongs to the buffer of CPU `folio`, whoever took it. */
  flush: boolean;
  folio: number;
  value: number;
}

/** The first failure's events of every CPU in global order, and whether any trace was truncated. */
export function decodeFailTrace(m: Int32Array, L: Layout): { events: TraceEvent[]; truncated: boolean } {
  const cap = L.config.traceCapacity;
  const events: TraceEvent[] = [];
  let truncated = false;
  for (let c = 0; c < L.config.cpus; c++) {
    let n = Atomics.load(m, L.FAIL_TRACE_LEN + c);
    if (n > cap) { truncated = true; n = cap; }
    for (let i = 0; i < n; i++) {
      const at = L.FAIL_TRACE + (c * cap + i) * TRACE_EVENT_WORDS;
      const siteWord = Atomics.load(m, at + 1);
      events.push({
        cpu: c, ticket: Atomics.load(m, at), seq: i, site: siteWord & ~(DECISION_FLAG | FLUSH_FLAG),
        decision: (siteWord & DECISION_FLAG) !== 0, flush: (siteWord & FLUSH_FLAG) !== 0, folio: Atomics.load(m, at + 2), value: Atomics.load(m, at + 3),
      });
    }
  }
  events.sort((a, b) => a.ticket - b.ticket || (a.cpu === b.cpu ? a.seq - b.seq : a.cpu - b.cpu));
  return { events, truncated };
}

/** The first failure's schedule: controlled modes logged it; free mode's is the ticket order. */
export function decodeFailSchedule(m: Int32Array, L: Layout, controlled: boolean, events: TraceEvent[]): number[] {
  // a free-mode flush of CPU c's buffer is the step of pseudo-CPU ncpus + c (shm/store-buffer.ts)
  if (!controlled) return events.filter((e) => e.decision).map((e) => (e.flush ? L.config.cpus + e.folio : e.cpu));
  const n = Atomics.load(m, L.CTRL + Ctrl.FAIL_LOG_LEN);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(Atomics.load(m, L.FAIL_LOG + i));
  return out;
}
