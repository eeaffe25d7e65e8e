// Chrome trace-event JSON of one iteration (Perfetto and chrome://tracing open it): one track per
// CPU, spans for lock holds and drain work, instants for every other event. Time is the event's
// global order (one "µs" per step), not wall time.
import type { Layout } from '../shm/layout.js';
import type { TraceEvent } from '../shm/decode.js';
import { S, SITES } from '../kernel/sites.js';
import { describeEvent, wordName } from './format.js';

interface ChromeEvent { name: string; ph: string; ts: number; pid: number; tid: number; s?: string; args?: Record<string, unknown> }

const BEGIN = new Set<number>([S.spin_lock, S.mutex_lock, S.work_start]);
const END = new Set<number>([S.spin_unlock, S.mutex_unlock, S.work_done]);

export function chromeTrace(L: Layout, events: readonly TraceEvent[], cpus: number, title: string): object {
  const out: ChromeEvent[] = [];
  for (let c = 0; c < cpus; c++) out.push({ name: 'thread_name', ph: 'M', ts: 0, pid: 1, tid: c, args: { name: `CPU${c}` } });
  out.push({ name: 'process_name', ph: 'M', ts: 0, pid: 1, tid: 0, args: { name: title } });
  events.forEach((e, i) => {
    if (e.decision) return;
    const ts = i;
    const name = SITES[e.site]?.name ?? `site ${e.site}`;
    if (BEGIN.has(e.site)) {
      out.push({ name: e.site === S.work_start ? 'lru_add_drain_per_cpu' : wordName(L, e.value), ph: 'B', ts, pid: 1, tid: e.cpu });
    } else if (END.has(e.site)) {
      out.push({ name, ph: 'E', ts, pid: 1, tid: e.cpu });
    } else {
      out.push({ name: describeEvent(L, e), ph: 'i', s: 't', ts, pid: 1, tid: e.cpu, args: { site: name, folio: e.folio, value: e.value } });
    }
  });
  return { traceEvents: out, displayTimeUnit: 'ns' };
}
