// One cell of the report: its verdict badge and its outcome histogram drawn as bars; and the
// verdict matrix of scenario × profile that links to them.
import type { CellResult, MergedResult } from '../result.js';
import { modeLabel, profileLabel } from '../plan.js';
import { seedsLabel, verdictOf } from '../verdict.js';
import { esc, slug } from './escape.js';
import { num } from '../../report/num.js';


export function cellId(m: MergedResult, c: CellResult): string {
  return `c${m.cells.indexOf(c)}`;
}

export function scenarioId(name: string): string {
  return `s-${slug(name)}`;
}

/** CSS class of a verdict: disagrees (red), found as expected (amber), never (green), or no result. */
export function verdictClass(c: CellResult): string {
  if (c.seeds.length === 0) return 'unknown';
  if (!c.agrees) return 'disagrees';
  return c.found ? 'found' : 'never';
}

function verdictWords(c: CellResult): string {
  if (c.seeds.length === 0) return 'no result';
  const v = verdictOf(c.expected, c.found, c.verify).text;
  return `${v}${c.expected === null ? ' (no expectation)' : c.agrees ? ` (expected ${c.expected})` : ` — DISAGREES: expected ${c.expected}`}`;
}

/** Rows: scenarios; columns: every profile the campaign used, in order of first use. */
export function verdictMatrix(m: MergedResult): string {
  const profiles = [...new Set(m.cells.map(profileLabel))];
  const scenarios = [...new Set(m.cells.map((c) => c.name))];
  const head = `<tr><th>scenario</th>${profiles.map((p) => `<th>${esc(p)}</th>`).join('')}</tr>`;
  const rows = scenarios.map((s) => {
    const tds = profiles.map((p) => {
      const cells = m.cells.filter((c) => c.name === s && profileLabel(c) === p);
      return `<td>${cells.map((c) => `<a class="v ${verdictClass(c)}" href="#${cellId(m, c)}" title="${esc(verdictWords(c))}">` +
        `${esc(modeLabel(c))}: ${c.seeds.length === 0 ? '—' : !c.found ? 'never' : c.forbidden + c.unknown > 0 ? `found ${num(c.forbidden + c.unknown)}` : `${num(c.violations + c.deadlocks + c.livelocks)} violations`}` +
        `${c.agrees ? '' : ' ✗'}</a>`).join('')}</td>`;
    }).join('');
    return `<tr><th><a href="#${scenarioId(s)}">${esc(s)}</a></th>${tds}</tr>`;
  });
  const legend = [['never', 'nothing forbidden, as expected'], ['found', 'bug found, as expected'],
    ['disagrees', 'disagrees with the expectation'], ['unknown', 'no result']]
    .map(([k, t]) => `<span><i class="v ${k}"></i>${t}</span>`).join('');
  return `<table class="matrix"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table><p class="legend">${legend}</p>`;
}

/** A cell's heading, verdict and histogram. */
export function cellCard(m: MergedResult, c: CellResult): string {
  const total = c.outcomes.reduce((a, o) => a + o.count, 0);
  const rows = c.outcomes.map((o) => {
    const share = total > 0 ? o.count / total : 0;
    return `<tr class="${o.kind}"><td>${esc(o.name)}</td><td>${o.kind === 'forbidden' ? 'FORBIDDEN' : o.kind}</td>` +
      `<td class="n">${num(o.count)}</td><td class="n">${total > 0 ? `${(100 * share).toFixed(1)}%` : '-'}</td>` +
      `<td class="bar">${o.count > 0 ? `<div class="${o.kind}" style="width:${(100 * share).toFixed(2)}%"></div>` : ''}</td></tr>`;
  }).join('');
  const extra = c.violations + c.deadlocks + c.livelocks > 0
    ? `<p>invariant violations: ${num(c.violations)} · deadlocks: ${num(c.deadlocks)} · livelocks: ${num(c.livelocks)}</p>` : '';
  return `<div class="cell" id="${cellId(m, c)}"><h4>${esc(modeLabel(c))} · ${num(c.iterationsRun)} iterations · seed ${esc(seedsLabel(c.seeds))} · ` +
    `<span class="badge ${verdictClass(c)}">${esc(verdictWords(c))}</span></h4>` +
    `<table class="hist"><thead><tr><th>outcome</th><th>kind</th><th>count</th><th>share</th><th></th></tr></thead><tbody>${rows}</tbody></table>${extra}</div>`;
}
