// A failing interleaving drawn the way kernel commit messages draw races: one column per CPU,
// time flowing down. Repeated stretches (migration retries) are folded.
import type { Layout } from '../shm/layout.js';
import type { TraceEvent } from '../shm/decode.js';
import { SITES } from '../kernel/sites.js';
import { describeEvent } from './format.js';

const MAX_ROWS = 120;
const HEAD_ROWS = 40;
const MAX_PERIOD = 12;
/** A livelock's loop may be longer than the retries folded elsewhere. */
const MAX_LOOP_PERIOD = 80;

/** How a diagram ends: a deadlock's waits (one per CPU), or the CPU whose loop a livelock draws. */
export interface DiagramEnd { waits?: readonly string[]; loopCpu?: number }

/** Columns the diagram may take: an 80-column terminal, less the failure block's indent of 2. */
const DIAGRAM_COLUMNS = 78;

/** Lock events, hidden from diagrams (every path takes locks) except a deadlock's, which is about them. */
const LOCK_SITES = new Set(['spin_lock', 'spin_unlock', 'mutex_lock', 'mutex_unlock', 'folio_lock', 'folio_trylock', 'folio_unlock']);

/**
 * The diagram of `events`; long ones keep their first and last rows. Up to 3 CPUs it fits 80
 * columns. `end.waits` (a deadlock): where each CPU waits; the diagram then shows lock events and
 * ends with a row of the waits. `end.loopCpu` (a livelock): the repeating rows are folded into one
 * turn of the loop, marked as that CPU's loop without progress.
 */
export function raceDiagram(L: Layout, events: readonly TraceEvent[], cpus: number, end: DiagramEnd = {}): string {
  const { waits, loopCpu } = end;
  const width = Math.max(24, Math.min(40, Math.floor(DIAGRAM_COLUMNS / cpus)));
  const cell = (s: string): string => (s.length > width - 1 ? s.slice(0, width - 2) + '…' : s).padEnd(width);
  const shown = (e: TraceEvent): boolean => (!e.decision || e.flush) && (SITES[e.site]?.diagram === true || (waits !== undefined && LOCK_SITES.has(SITES[e.site]?.name ?? '')));
  // A flush step sits in the column of the CPU whose store buffer it empties, whoever took it.
  const column = (e: TraceEvent): number => (e.flush ? e.folio : e.cpu);
  const rows = events.filter(shown)
    .map((e) => Array.from({ length: cpus }, (_, c) => cell(c === column(e) ? describeEvent(L, e) : '')).join('').trimEnd());
  if (waits) rows.push(Array.from({ length: cpus }, (_, c) => cell(waits[c] ? `waits in ${waits[c]}` : '')).join('').trimEnd());
  const header = Array.from({ length: cpus }, (_, c) => cell(`CPU${c}`)).join('').trimEnd();
  const rule = Array.from({ length: cpus }, () => cell('─'.repeat(width - 2))).join('').trimEnd();
  let body = loopCpu === undefined ? foldRepeats(rows)
    : foldRepeats(rows, MAX_LOOP_PERIOD, `⟲ CPU${loopCpu} loops: no other CPU can run, nothing changes what it waits for`);
  if (body.length > MAX_ROWS) {
    const tail = MAX_ROWS - HEAD_ROWS;
    body = [...body.slice(0, HEAD_ROWS), `   … ${body.length - MAX_ROWS} rows …`, ...body.slice(body.length - tail)];
  }
  return [header, rule, ...body].join('\n');
}

/**
 * Replaces k ≥ 2 back-to-back copies of a block of up to `maxPeriod` rows by one copy and a note.
 * With `loop` (a livelock's), rows that differ only in numbers (a generation, a refcount that a
 * turn puts back) count as the same, and the note of a fold covering most rows says so.
 */
export function foldRepeats(rows: readonly string[], maxPeriod = MAX_PERIOD, loop?: string): string[] {
  const out: string[] = [];
  const keys = loop ? rows.map((r) => r.replace(/\d+/g, '#')) : rows;
  const same = (a: number, b: number, p: number): boolean => {
    for (let i = 0; i < p; i++) if (keys[a + i] !== keys[b + i]) return false;
    return true;
  };
  for (let i = 0; i < rows.length;) {
    let best = { p: 0, k: 1 };
    for (let p = 1; p <= maxPeriod; p++) {
      let k = 1;
      while (i + (k + 1) * p <= rows.length && same(i, i + k * p, p)) k++;
      if (k >= 2 && k * p > best.k * best.p) best = { p, k };
    }
    if (best.p === 0) { out.push(rows[i]!); i++; continue; }
    const note = `${best.p === 1 ? 'this row' : `these ${best.p} rows`} ×${best.k}`;
    const theLoop = loop !== undefined && best.p * best.k >= rows.length / 2;
    out.push(...rows.slice(i, i + best.p), theLoop ? `   ↑ ${loop}: ${note}, numbers aside` : `   ↑ ${note}`);
    i += best.p * best.k;
  }
  return out;
}
