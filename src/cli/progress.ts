// A progress bar on stderr, only when stderr is a terminal and the output is not --json.
export interface Progress {
  update(done: number): void;
  done(): void;
}

const NONE: Progress = { update() {}, done() {} };

export function progressBar(total: number, label: string, enabled: boolean): Progress {
  if (!enabled || !process.stderr.isTTY) return NONE;
  const t0 = performance.now();
  const width = 30;
  let shown = false;
  return {
    update(done: number): void {
      const frac = Math.min(1, total > 0 ? done / total : 0);
      const filled = Math.round(frac * width);
      const rate = Math.round((done * 1000) / Math.max(1, performance.now() - t0));
      process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` +
        `${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}  ${rate.toLocaleString('en-US')}/s `);
      shown = true;
    },
    done(): void {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  };
}
