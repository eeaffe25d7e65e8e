// Summaries of repeated measurements: median and 99th percentile (nearest rank), in the unit given.

export interface Dist {
  median: number;
  p99: number;
  mean: number;
}

/** The value at quantile `q` of sorted `xs` (nearest rank). */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
}

/** Median, p99 and mean of `xs`, divided by `unit` and rounded to 0.1. */
export function dist(xs: readonly number[], unit = 1): Dist {
  const s = [...xs].sort((a, b) => a - b);
  const r = (x: number): number => Math.round((x / unit) * 10) / 10;
  return { median: r(quantile(s, 0.5)), p99: r(quantile(s, 0.99)), mean: r(s.reduce((a, x) => a + x, 0) / Math.max(1, s.length)) };
}

export function median(xs: readonly number[]): number {
  return quantile([...xs].sort((a, b) => a - b), 0.5);
}

/** Element-wise mean of equally long rows, rounded to 0.01. */
export function meanPerIndex(rows: readonly (readonly number[])[]): number[] {
  const n = rows[0]?.length ?? 0;
  return Array.from({ length: n }, (_, i) => Math.round((rows.reduce((a, r) => a + (r[i] ?? 0), 0) / Math.max(1, rows.length)) * 100) / 100);
}
