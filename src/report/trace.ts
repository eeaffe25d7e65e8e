// Chrome trace-event JSON of one iteration (Perfetto and chrome://tracing open it): one track per
// CPU, spans for lock holds and drain work, instants for every other event. The time axis is the
// iteration's schedule, one step per event, not wall time: the format's "µs" are steps, and the
// trace says so in its title and metadata.
import type { Layout } from '../shm/layout.js';
import type { TraceEvent } from '../shm/decode.js';
import { S, SITES } from '../kernel/sites.js';
import { describeEvent, wordName } from './format.js';

interface ChromeEvent { name: string; ph: string; ts: number; pid: number; tid: number; s?: string; args?: Record<string, unknown> }

const BEGIN = new Set<number>([S.spin_lock, S.mutex_lock, S.work_start]);
const END = new Set<number>([S.spin_unlock, S.mutex_unlock, S.work_done]);

/** `otherData.format` of a trace file (docs/schemas/trace.schema.json). */
export const TRACE_FORMAT = 'foliorace-trace/1';

/** What the time axis means, in the trace itself. */
export const TIME_AXIS = 'time axis: schedule steps (1 "µs" = 1 step of the iteration), not wall time';

export function chromeTrace(L: Layout, events: readonly TraceEvent[], cpus: number, title: string): object {
  const out: ChromeEvent[] = [];
  for (let c = 0; c < cpus; c++) out.push({ name: 'thread_name', ph: 'M', ts: 0, pid: 1, tid: c, args: { name: `CPU${c}` } });
  out.push({ name: 'process_name', ph: 'M', ts: 0, pid: 1, tid: 0, args: { name: `${title} (${TIME_AXIS})` } });
  /** Spans open on each CPU, innermost last: every one is closed, at the latest when the trace ends. */
  const open: string[][] = Array.from({ length: cpus }, () => []);
  let ts = 0;
  for (const e of events) {
    if (e.decision) continue;
    ts++;
    const name = SITES[e.site]?.name ?? `site ${e.site}`;
    if (BEGIN.has(e.site)) {
      const span = e.site === S.work_start ? 'lru_add_drain_per_cpu' : wordName(L, e.value);
      open[e.cpu]!.push(span);
      out.push({ name: span, ph: 'B', ts, pid: 1, tid: e.cpu });
    } else if (END.has(e.site)) {
      const span = e.site === S.work_done ? 'lru_add_drain_per_cpu' : wordName(L, e.value);
      const at = open[e.cpu]!.lastIndexOf(span);
      if (at >= 0) open[e.cpu]!.splice(at, 1);
      out.push({ name: span, ph: 'E', ts, pid: 1, tid: e.cpu, args: { site: name } });
    } else {
      out.push({ name: describeEvent(L, e), ph: 'i', s: 't', ts, pid: 1, tid: e.cpu, args: { site: name, folio: e.folio, value: e.value } });
    }
  }
  // spans still open when the iteration ended (it was aborted, or the trace was truncated)
  open.forEach((spans, c) => spans.reverse().forEach((span) => out.push({ name: span, ph: 'E', ts: ts + 1, pid: 1, tid: c, args: { note: 'still held when the trace ended' } })));
  return { traceEvents: out, otherData: { format: TRACE_FORMAT, timeAxis: TIME_AXIS } };
}
