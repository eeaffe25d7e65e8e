// A progress bar on stderr, only when stderr is a terminal and the output is not --json.
export interface Progress {
  update(done: number): void;
  done(): void;
}

const NONE: Progress = { update() {}, done() {} };

/**
 * A bar over `total` iterations, or over `durationMs` when a duration is given and reached first
 * (whichever limit is nearer, as the run stops at the first).
 */
export function progressBar(total: number, durationMs: number, label: string, enabled: boolean): Progress {
  if (!enabled || !process.stderr.isTTY) return NONE;
  const t0 = performance.now();
  const width = 30;
  let shown = false;
  return {
    update(done: number): void {
      const byCount = total > 0 ? done / total : 0;
      const byTime = durationMs > 0 ? (performance.now() - t0) / durationMs : 0;
      const frac = Math.min(1, Math.max(byCount, byTime));
      const filled = Math.round(frac * width);
      const rate = Math.round((done * 1000) / Math.max(1, performance.now() - t0));
      const of = byTime > byCount ? `${((performance.now() - t0) / 1000).toFixed(1)}/${(durationMs / 1000).toFixed(1)} s`
        : `/${total.toLocaleString('en-US')}`;
      process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` +
        `${done.toLocaleString('en-US')}${byTime > byCount ? ' iterations, ' : ''}${of}  ${rate.toLocaleString('en-US')}/s `);
      shown = true;
    },
    done(): void {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  };
}
