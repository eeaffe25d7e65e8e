// A failing interleaving drawn the way kernel commit messages draw races: one column per CPU,
// time flowing down.
import type { Layout } from '../shm/layout.js';
import type { TraceEvent } from '../shm/decode.js';
import { SITES } from '../kernel/sites.js';
import { describeEvent } from './format.js';

const MAX_ROWS = 120;
const HEAD_ROWS = 40;

/** The diagram of `events`; long ones keep their first and last rows. */
export function raceDiagram(L: Layout, events: readonly TraceEvent[], cpus: number): string {
  const width = Math.max(24, Math.min(48, Math.floor(120 / cpus)));
  const cell = (s: string): string => (s.length > width - 2 ? s.slice(0, width - 3) + '…' : s).padEnd(width);
  const rows: string[] = [];
  let prev = '';
  let repeat = 0;
  const flush = (): void => { if (repeat > 1) rows[rows.length - 1] += `  ×${repeat}`; repeat = 0; };
  for (const e of events) {
    if (e.decision || !SITES[e.site]?.diagram) continue;
    const line = Array.from({ length: cpus }, (_, c) => cell(c === e.cpu ? describeEvent(L, e) : '')).join('').trimEnd();
    if (line === prev) { repeat++; continue; }
    flush();
    rows.push(line);
    prev = line;
    repeat = 1;
  }
  flush();
  const header = Array.from({ length: cpus }, (_, c) => cell(`CPU${c}`)).join('').trimEnd();
  const rule = Array.from({ length: cpus }, () => cell('─'.repeat(width - 2))).join('').trimEnd();
  let body = rows;
  if (rows.length > MAX_ROWS) {
    const tail = MAX_ROWS - HEAD_ROWS;
    body = [...rows.slice(0, HEAD_ROWS), `   … ${rows.length - MAX_ROWS} rows …`, ...rows.slice(rows.length - tail)];
  }
  return [header, rule, ...body].join('\n');
}
