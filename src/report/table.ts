// Text reports for a terminal: the outcome table of a run, the failure block, the demo verdicts.
import { ratesNote } from './rates-note.js';
import { kernelLabel, type RunReport } from './report.js';
import { num } from './num.js';


/** What a share means (printed under every outcome table; docs/corpus.md says the same). */
export const RATE_NOTE = ratesNote('shares');

/** Pads a table's columns; the first row is the header. Numbers right-aligned. */
export function formatTable(rows: readonly (readonly string[])[], rightAlign: readonly boolean[] = []): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (rightAlign[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

export function runHeadline(r: Pick<RunReport, 'scenario' | 'kernel' | 'patchFile' | 'mode' | 'memory' | 'seed' | 'cpus'>): string {
  return `${r.scenario} · kernel ${kernelLabel(r)} · mode ${r.mode}${r.memory === undefined ? '' : ` · memory ${r.memory}`} · seed ${r.seed} · ${r.cpus} CPUs`;
}

/** The outcome table and summary lines of a run. */
export function outcomeTable(r: RunReport): string {
  const total = r.outcomes.reduce((a, o) => a + o.count, 0);
  const rows = [['outcome', 'kind', 'count', 'share'], ...r.outcomes.map((o) => [
    o.name, o.kind === 'forbidden' || o.kind === 'unknown' ? o.kind.toUpperCase() : o.kind, num(o.count), total > 0 ? `${((100 * o.count) / total).toFixed(1)}%` : '-',
  ])];
  const lines = [
    runHeadline(r),
    `${num(r.iterations)} iterations in ${(r.elapsedMs / 1000).toFixed(2)} s (${num(r.iterationsPerSecond)}/s; start-up ${Math.round(r.startupMs)} ms)`,
    '',
    formatTable(rows, [false, false, true, true]).replace(/^/gm, '  '),
    '',
    `  invariant violations: ${num(r.violations)}   deadlocks: ${num(r.deadlocks)}${r.livelocks > 0 ? `   livelocks: ${num(r.livelocks)} (a livelock ends the run)` : ''}`,
    `  ${RATE_NOTE}`,
  ];
  const declared = r.outcomes.filter((o) => o.kind !== 'unknown').map((o) => o.name);
  for (const o of r.outcomes.filter((x) => x.kind === 'unknown')) {
    lines.push(`  UNKNOWN "${o.name}": check() of ${r.scenario} returned it ${num(o.count)} times; its outcomes declare only ${declared.join(', ')}`);
  }
  if (r.exhaustive) lines.push(`  ${exhaustiveLine(r)}`);
  if (r.verify) lines.push(`  ${verifyLine(r)}`);
  if (r.watchdog) lines.push(`  watchdog: no iteration finished for too long; CPUs were at: ${r.watchdog.map((s, c) => `CPU${c} ${s}`).join(', ')}`);
  return lines.join('\n');
}

/** The first failure as its own replay instructions. */
export function failureBlock(r: RunReport): string {
  const f = r.firstFailure;
  if (!f) return '';
  const what = { forbidden: 'FORBIDDEN', violation: 'INVARIANT VIOLATED', deadlock: 'DEADLOCK', livelock: 'LIVELOCK',
    unknown: 'UNKNOWN OUTCOME' }[f.kind];
  const lines = [
    `${what} ${f.outcome} in iteration ${f.iteration}`,
    `  ${runHeadline(r)}`,
    '',
    f.diagram.replace(/^/gm, '  '),
    '',
  ];
  if (f.truncated) lines.push('note:   the trace of this iteration was truncated');
  if (r.replay) lines.push(replayVerdict(r));
  else if (f.file) lines.push(`replay: npx foliorace replay ${f.file}`);
  if (f.replayString) lines.push(`replay string: '${f.replayString}'`);
  const c = f.conversion;
  if (c && c.phase !== 'recorded') {
    const tried = `${num(c.tried.recorded + c.tried.nearDivergence + c.tried.pct)} schedules in ${(c.ms / 1000).toFixed(1)} s ` +
      `(the recorded order, ${num(c.tried.nearDivergence)} moves near step ${c.divergedAtStep || 'its end'}, ${num(c.tried.pct)} PCT)`;
    lines.push(c.converted ? `converted: the free-mode order did not replay; an exact schedule found (${c.phase}) after ${tried}`
      : `seen, not reproduced: the free-mode order did not replay, and no exact schedule in ${tried}; raise --convert-budget`);
  }
  if (!r.replay) lines.push(f.replayVerified ? 'replay verified: the recorded schedule reproduces it' : `replay NOT verified: ${f.replayNote ?? 'unknown'}`);
  lines.push('hint:   --trace run.json writes a Perfetto trace of this iteration');
  return lines.join('\n');
}

/** What an exhaustive run covered: "all N schedules ... explored, none forbidden", or where it stopped. */
export function exhaustiveLine(r: RunReport): string {
  const x = r.exhaustive!;
  const within = `with at most ${x.preemptions} preemption${x.preemptions === 1 ? '' : 's'}`;
  if (x.complete) return `all ${num(x.schedules)} schedules ${within} explored, none forbidden`;
  if (x.stoppedBy === 'finding') return `found after ${num(x.schedules)} schedules ${within}`;
  return `NOT complete: stopped (${x.stoppedBy}) after ${num(x.schedules)} schedules ${within}`;
}

/**
 * What a verify run covered: "verified: every execution explored (N classes, M runs, T s), none
 * forbidden", or where it stopped and how far it had got.
 */
export function verifyLine(r: RunReport): string {
  const x = r.verify!;
  const within = x.preemptions === null ? '' : ` with at most ${x.preemptions} preemption${x.preemptions === 1 ? '' : 's'}`;
  const counts = `${num(x.classes)} classes, ${num(x.schedules)} runs, ${(r.elapsedMs / 1000).toFixed(1)} s`;
  const p = x.part;
  const of = p ? ` of part ${p.index}/${p.count} (${num(p.own)} of the ${num(p.subtrees)} subtrees below the first ${p.depth} decisions)` : '';
  if (x.complete) {
    return p ? `part ${p.index}/${p.count} verified: every execution${of}${within} explored (${counts}), none forbidden; ` +
      `the tree is verified when all ${p.count} parts are` : `verified: every execution${within} explored (${counts}), none forbidden`;
  }
  if (x.stoppedBy === 'finding') return `found after ${counts}${within}`;
  return `NOT verified: stopped (${x.stoppedBy ?? 'early'})${of} after ${counts}${within}; ` +
    `${num(x.pending)} branches left, about ${num(x.estimate)} classes in the iteration it was exploring`;
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
