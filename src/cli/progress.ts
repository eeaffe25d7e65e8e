// A one-line progress bar on stderr, sized to the terminal, only when stderr is a terminal and the
// output is not --json: label, bar, iterations, iterations/s, forbidden so far, time left.
import { num } from '../report/num.js';
import { stderr } from './io.js';

export interface Progress {
  /** `found`: iterations so far with a forbidden outcome, violation, deadlock or unknown outcome. */
  update(done: number, found?: number): void;
  /** Verify mode: where the search is, instead of a bar (its end is not known in advance). */
  search(s: SearchStatus): void;
  done(): void;
}

/** What a verify run has explored so far (host/verify-run.ts onSearch). */
export interface SearchStatus { classes: number; runs: number; pending: number; estimate: number; iteration: number }

const NONE: Progress = { update() {}, search() {}, done() {} };

/** The verify progress line: classes and runs so far, branches left, the estimated size of the tree. */
export function searchText(columns: number, label: string, elapsedMs: number, s: SearchStatus): string {
  const rate = (s.runs * 1000) / Math.max(1, elapsedMs);
  const line = `${label} verify: ${num(s.classes)} classes · ${num(s.runs)} runs · ${num(Math.round(rate))}/s · ` +
    `${num(s.pending)} branches left · about ${num(s.estimate)} classes${s.iteration > 0 ? ` in iteration ${s.iteration}` : ''}`;
  return line.slice(0, columns - 1);
}

function seconds(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/**
 * The progress line's text for `columns` columns: over `total` iterations (0: none), or over
 * `durationMs` (0: none), whichever limit is nearer, as the run stops at the first.
 */
export function progressText(columns: number, label: string, total: number, durationMs: number, elapsedMs: number,
  done: number, found: number): string {
  const byCount = total > 0 ? done / total : 0;
  const byTime = durationMs > 0 ? elapsedMs / durationMs : 0;
  const frac = Math.min(1, Math.max(byCount, byTime));
  const rate = (done * 1000) / Math.max(1, elapsedMs);
  const leftMs = byTime >= byCount ? durationMs - elapsedMs : rate > 0 ? ((total - done) * 1000) / rate : NaN;
  const tail = ` ${num(done)}${total > 0 && byCount >= byTime ? `/${num(total)}` : ''} · ${num(Math.round(rate))}/s · ` +
    `forbidden ${num(found)}${Number.isFinite(leftMs) ? ` · ${seconds(leftMs)} left` : ''}`;
  const room = columns - 1 - tail.length; // the last column stays empty: no wrap on any terminal
  const name = label.length + 14 <= room ? `${label} ` : '';
  const width = Math.max(0, room - name.length - 2);
  if (width < 4) return tail.trimStart().slice(0, columns - 1);
  const filled = Math.round(frac * width);
  return `${name}[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]${tail}`;
}

export function progressBar(total: number, durationMs: number, label: string, enabled: boolean): Progress {
  if (!enabled || !stderr().isTTY) return NONE;
  const t0 = performance.now();
  let shown = false;
  let last = 0;
  return {
    update(done: number, found = 0): void {
      const line = progressText(stderr().columns || 80, label, total, durationMs, performance.now() - t0, done, found);
      stderr().write(`\r${line}\x1b[K`);
      shown = true;
    },
    search(s: SearchStatus): void {
      const now = performance.now();
      if (now - last < 100) return;
      last = now;
      stderr().write(`\r${searchText(stderr().columns || 80, label, now - t0, s)}\x1b[K`);
      shown = true;
    },
    done(): void {
      if (shown) stderr().write('\r\x1b[K');
      shown = false;
    },
  };
}
