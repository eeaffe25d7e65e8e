// The campaign report: one static HTML page that opens from file:// (inline style, no script,
// nothing fetched), laid out after jcstress's index: what ran and where, the totals, the verdict
// matrix, then per scenario its profiles side by side (before, after, others) with each cell's
// histogram, and each failure as its race diagram with the command that replays it.
import type { FailureEntry, MergedResult } from '../result.js';
import { profileLabel } from '../plan.js';
import { cellCard, scenarioId, verdictMatrix } from './cells.js';
import { esc } from './escape.js';
import { STYLE } from './style.js';
import { num } from '../../report/num.js';

export interface PageOptions {
  /** How the replay command names the report's failure files: `${replayDir}/failures/...`. */
  replayDir: string;
  /** The drain-cost plot (SVG text) of an included bench result. */
  drainSvg: string | null;
}


export function htmlPage(m: MergedResult, o: PageOptions): string {
  const c = m.campaign;
  const iterations = m.cells.reduce((a, x) => a + x.iterationsRun, 0);
  const disagree = m.cells.filter((x) => x.seeds.length > 0 && !x.agrees);
  const shards = m.shards.map((s) => `${s.index}/${s.count} on ${esc(s.host)}: ${s.units} units in ${(s.elapsedMs / 1000).toFixed(1)} s ` +
    `(foliorace ${esc(Object.values(s.foliorace).join(' '))})`).join('<br>');
  const body = [
    `<header><h1>foliorace campaign <code>${esc(c.name)}</code></h1>${c.description ? `<p>${esc(c.description)}</p>` : ''}`,
    '<table class="meta">',
    `<tr><th>campaign hash</th><td><code>${esc(c.hash)}</code></td></tr>`,
    `<tr><th>shards</th><td>${shards}</td></tr>`,
    `<tr><th>work</th><td>${m.cells.length} cells, ${c.units} units, ${num(iterations)} iterations</td></tr>`,
    `<tr><th>exit policy</th><td>${c.exit === 'finding' ? 'exit 1 on any finding' : 'exit 1 when a result disagrees with its expectation'}</td></tr>`,
    '</table>',
    '<p class="note">Counts and shares are under foliorace\'s scheduler on the machines that ran the shards, not rates of the kernel.</p>',
    m.warnings.length > 0 ? `<ul class="warnings">${m.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : '',
    '</header>',
    `<section id="totals"><p class="totals"><span>${m.cells.filter((x) => x.seeds.length > 0 && x.agrees).length} cells as expected</span>` +
      `<span>${disagree.length} disagree</span><span>${m.cells.filter((x) => x.found).length} found a bug</span>` +
      `<span>${m.failures.length} distinct failures</span></p>` +
      (disagree.length > 0 ? `<p>Disagreeing: ${disagree.map((x) => `<a href="#${scenarioId(x.name)}">${esc(x.key)}</a>`).join(', ')}</p>` : '') +
      '</section>',
    `<section id="verdicts"><h2>Verdicts: scenario × kernel profile</h2>${verdictMatrix(m)}</section>`,
    ...[...new Set(m.cells.map((x) => x.name))].map((name) => scenarioSection(m, name, o)),
    o.drainSvg === null ? '' : `<section id="drain"><h2>Drain cost</h2>${o.drainSvg}</section>`,
  ].join('\n');
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>foliorace campaign ${esc(c.name)}</title><style>${STYLE}</style></head>\n<body>\n${body}\n</body></html>\n`;
}

function scenarioSection(m: MergedResult, name: string, o: PageOptions): string {
  const info = m.campaign.scenarios[name];
  const cells = m.cells.filter((x) => x.name === name);
  const profiles = [...new Set(cells.map(profileLabel))];
  const role = (p: string): string => (p === info?.before ? ' <span class="role">before</span>' : p === info?.after ? ' <span class="role">after</span>' : '');
  const order = [...profiles].sort((a, b) => rank(a) - rank(b));
  function rank(p: string): number { return p === info?.before ? 0 : p === info?.after ? 1 : 2 + profiles.indexOf(p); }
  const side = order.map((p) => `<div class="profile"><h3>${esc(p)}${role(p)}</h3>` +
    cells.filter((x) => profileLabel(x) === p).map((x) => cellCard(m, x)).join('') + '</div>').join('');
  const keys = new Set(cells.map((x) => x.key));
  const failures = m.failures.filter((f) => keys.has(f.cell));
  return `<section class="scenario" id="${scenarioId(name)}"><h2>${esc(name)}</h2>${info ? `<p>${esc(info.summary)}</p>` : ''}` +
    `<div class="side">${side}</div>` +
    (failures.length > 0 ? `<h3>Failures</h3>${failures.map((f, i) => failureArticle(f, o, i === 0)).join('')}` : '') + '</section>';
}

/** The first failure of a scenario shows its diagram open; the others fold it. */
function failureArticle(f: FailureEntry, o: PageOptions, open: boolean): string {
  const what = f.kind === 'forbidden' ? 'FORBIDDEN' : f.kind === 'violation' ? 'INVARIANT VIOLATED' : 'DEADLOCK';
  const links = [f.file ? `<a href="${esc(f.file)}">failure file</a>` : '',
    f.trace ? `<a href="${esc(f.trace)}">trace</a> (Chrome trace-event JSON: open it in Perfetto or chrome://tracing)` : ''].filter((x) => x !== '');
  return `<article class="failure"><h4>${what} ${esc(f.outcome)} · ${esc(f.cell)} · seed ${esc(f.seed)} · iteration ${f.iteration}</h4>` +
    `<details${open ? ' open' : ''}><summary>race diagram</summary><pre class="diagram">${esc(f.diagram)}</pre></details>` +
    (f.truncated ? '<p>The trace of this iteration was truncated.</p>' : '') +
    (f.file ? `<p>replay: <code>npx foliorace replay ${esc(`${o.replayDir}/${f.file}`)}</code>` +
      `${f.replayVerified ? ' (verified: the recorded schedule reproduces it)' : ' (not verified: free-mode ticket order is approximate)'}</p>` : '') +
    (links.length > 0 ? `<p>${links.join(' · ')}</p>` : '') + '</article>';
}
