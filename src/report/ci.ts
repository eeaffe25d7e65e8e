// Reports for CI systems: TAP 13 the way kselftest prints it (`--reporter tap`), and JUnit XML
// (`--junit FILE`). One test point per outcome (fails if a forbidden or unknown outcome happened)
// and one for the invariants and deadlocks, per run.
import type { OutcomeRow, RunReport } from './report.js';
import { runHeadline } from './table.js';
import { ratesNote } from './rates-note.js';
import { num } from './num.js';

interface Point { name: string; ok: boolean; detail: string; failure: string }


function points(r: RunReport): Point[] {
  const total = r.outcomes.reduce((a, o) => a + o.count, 0);
  const bad = (o: OutcomeRow): boolean => (o.kind === 'forbidden' || o.kind === 'unknown') && o.count > 0;
  const failure = r.firstFailure
    ? [`first in iteration ${r.firstFailure.iteration}: ${r.firstFailure.outcome}`,
      ...(r.firstFailure.file ? [`replay: npx foliorace replay ${r.firstFailure.file}`] : []), r.firstFailure.diagram].join('\n')
    : '';
  return [
    ...r.outcomes.map((o) => ({ name: `${o.name}`, ok: !bad(o), detail: `${o.kind}, ${num(o.count)} of ${num(total)} iterations`, failure })),
    { name: 'invariants and deadlocks', ok: r.violations + r.deadlocks + r.livelocks === 0,
      detail: `${num(r.violations)} violations, ${num(r.deadlocks)} deadlocks, ${num(r.livelocks)} livelocks`, failure },
  ];
}

/** TAP version 13 as tools/testing/selftests print it: a plan, ok/not ok lines, "# " diagnostics, totals. */
export function tapReport(reports: readonly RunReport[]): string {
  const all = reports.map((r) => ({ r, ps: points(r) }));
  const lines = ['TAP version 13', `1..${all.reduce((a, x) => a + x.ps.length, 0)}`];
  let n = 0;
  for (const { r, ps } of all) {
    lines.push(`# ${runHeadline(r)} · ${num(r.iterations)} iterations`,
      `# (${ratesNote('the counts below')})`);
    for (const p of ps) {
      lines.push(`${p.ok ? 'ok' : 'not ok'} ${++n} ${r.scenario} ${r.kernel}: ${p.name} (${p.detail})`);
      if (!p.ok && p.failure) lines.push(...p.failure.split('\n').map((l) => `# ${l}`));
    }
  }
  const pass = all.reduce((a, x) => a + x.ps.filter((p) => p.ok).length, 0);
  lines.push(`# Totals: pass:${pass} fail:${n - pass} xfail:0 xpass:0 skip:0 error:0`);
  return lines.join('\n');
}

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JUnit XML: a testsuite per run, a testcase per test point. */
export function junitReport(reports: readonly RunReport[]): string {
  const suites = reports.map((r) => {
    const ps = points(r);
    const fails = ps.filter((p) => !p.ok).length;
    const cases = ps.map((p) => `    <testcase classname="foliorace.${xml(r.scenario)}.${xml(r.kernel)}" name="${xml(p.name)}" time="0">` +
      (p.ok ? '' : `\n      <failure message="${xml(`${p.name}: ${p.detail}`)}" type="${p.name === 'invariants and deadlocks' ? 'violation' : 'forbidden'}">${xml(p.failure)}</failure>\n    `) +
      '</testcase>');
    return `  <testsuite name="${xml(runHeadline(r))}" tests="${ps.length}" failures="${fails}" errors="0" time="${(r.elapsedMs / 1000).toFixed(3)}">\n` +
      `${cases.join('\n')}\n  </testsuite>`;
  });
  const tests = reports.reduce((a, r) => a + points(r).length, 0);
  const failures = reports.reduce((a, r) => a + points(r).filter((p) => !p.ok).length, 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="foliorace" tests="${tests}" failures="${failures}">\n${suites.join('\n')}\n</testsuites>\n`;
}
