// Text reports for a terminal: the outcome table of a run, the failure block, the demo verdicts.
import type { RunReport } from './report.js';

const num = (n: number): string => n.toLocaleString('en-US');

/** Pads a table's columns; the first row is the header. Numbers right-aligned. */
export function formatTable(rows: readonly (readonly string[])[], rightAlign: readonly boolean[] = []): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (rightAlign[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

export function runHeadline(r: RunReport): string {
  return `${r.scenario} · kernel ${r.kernel} · mode ${r.mode} · seed ${r.seed} · ${r.cpus} CPUs`;
}

/** The outcome table and summary lines of a run. */
export function outcomeTable(r: RunReport): string {
  const total = r.outcomes.reduce((a, o) => a + o.count, 0);
  const rows = [['outcome', 'kind', 'count', 'share'], ...r.outcomes.map((o) => [
    o.name, o.kind === 'forbidden' ? 'FORBIDDEN' : o.kind, num(o.count), total > 0 ? `${((100 * o.count) / total).toFixed(1)}%` : '-',
  ])];
  const lines = [
    runHeadline(r),
    `${num(r.iterations)} iterations in ${(r.elapsedMs / 1000).toFixed(2)} s (${num(r.iterationsPerSecond)}/s; start-up ${Math.round(r.startupMs)} ms)`,
    '',
    formatTable(rows, [false, false, true, true]).replace(/^/gm, '  '),
    '',
    `  invariant violations: ${num(r.violations)}   deadlocks: ${num(r.deadlocks)}`,
  ];
  if (r.watchdog) lines.push(`  watchdog: no iteration finished for too long; CPUs were at: ${r.watchdog.map((s, c) => `CPU${c} ${s}`).join(', ')}`);
  return lines.join('\n');
}

/** The first failure as its own replay instructions. */
export function failureBlock(r: RunReport): string {
  const f = r.firstFailure;
  if (!f) return '';
  const what = f.kind === 'forbidden' ? 'FORBIDDEN' : f.kind === 'violation' ? 'INVARIANT VIOLATED' : 'DEADLOCK';
  const lines = [
    `${what} ${f.outcome} in iteration ${f.iteration}`,
    `  ${runHeadline(r)}`,
    '',
    f.diagram.replace(/^/gm, '  '),
    '',
  ];
  if (f.truncated) lines.push('note:   the trace of this iteration was truncated');
  if (r.replay) lines.push(replayVerdict(r));
  else {
    if (f.file) lines.push(`replay: npx foliorace replay ${f.file}`);
    lines.push(f.replayVerified ? 'replay verified: the recorded schedule reproduces it' : `replay NOT verified: ${f.replayNote ?? 'unknown'}`);
  }
  lines.push('hint:   --trace run.json writes a Perfetto trace of this iteration');
  return lines.join('\n');
}

/** The verdict of a replay, one line: reproduced, reproduced a different outcome, or did not reproduce. */
export function replayVerdict(r: RunReport): string {
  const p = r.replay;
  if (!p) return '';
  const of = `recorded in ${p.of} mode, iteration ${p.iteration}`;
  switch (p.verdict) {
    case 'reproduced': return `reproduced: ${p.expected} (${of})`;
    case 'different': return `reproduced a different outcome (${p.got}, ${r.firstFailure?.kind ?? 'forbidden'}); the file recorded ${p.expected} (${of})`;
    case 'not-reproduced': return `did not reproduce ${p.expected} (${of}): ${p.why}`;
  }
}
