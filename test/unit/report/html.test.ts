import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { mergeShards } from '../../../src/campaign/merge.js';
import { htmlPage } from '../../../src/campaign/html/page.js';
import { shard, unit } from '../../helpers/campaign.js';

type Doc = ReturnType<typeof parseHTML>['document'];

function page(drainSvg: string | null = null): Doc {
  const merged = mergeShards([{ path: 'a', result: shard(1, 2, [0, 2, 4]) }, { path: 'b', result: shard(2, 2, [1, 3, 5]) }]);
  return parseHTML(htmlPage(merged, { replayDir: 'out', drainSvg })).document;
}

describe('HTML report', () => {
  it('the verdict matrix: a row per scenario, a column per profile, each mode linked to its cell', () => {
    const d = page();
    const matrix = d.querySelector('table.matrix')!;
    expect([...matrix.querySelectorAll('thead th')].map((th) => th.textContent)).toEqual(['scenario', '6.10', '6.11']);
    const chips = [...matrix.querySelectorAll('tbody a.v')];
    expect(chips.map((a) => [a.textContent, a.getAttribute('class')])).toEqual([
      ['pct: found 9', 'v found'], ['pct: never', 'v never'],
    ]);
    for (const a of chips) expect(d.getElementById(a.getAttribute('href')!.slice(1)), a.getAttribute('href')!).not.toBeNull();
  });

  it('a result that disagrees with its expectation is marked, and listed at the top', () => {
    const bad = shard(2, 2, [1, 3, 5]);
    bad.units[0] = { ...unit(1), forbidden: 2, outcomes: [{ name: 'pin-failed-batch-ref', kind: 'forbidden', count: 2 }] };
    const merged = mergeShards([{ path: 'a', result: shard(1, 2, [0, 2, 4]) }, { path: 'b', result: bad }]);
    const d = parseHTML(htmlPage(merged, { replayDir: 'out', drainSvg: null })).document;
    expect(d.querySelector('a.v.disagrees')!.textContent).toBe('pct: found 2 ✗');
    expect(d.querySelector('#totals')!.textContent).toMatch(/1 cells as expected.*1 disagree.*Disagreeing: gup-longterm-vs-activate · 6.11 · pct/s);
  });

  it('each cell\'s histogram: counts, shares, and bars as wide as the shares, before next to after', () => {
    const d = page();
    const profiles = [...d.querySelectorAll('.scenario .profile h3')].map((h) => h.textContent);
    expect(profiles).toEqual(['6.10 before', '6.11 after']);
    const rows = [...d.querySelectorAll('#c0 table.hist tbody tr')];
    expect(rows.map((r) => [...r.querySelectorAll('td')].slice(0, 4).map((td) => td.textContent))).toEqual([
      ['pinned-after-migration', 'acceptable', '291', '97.0%'],
      ['pin-failed-batch-ref', 'FORBIDDEN', '9', '3.0%'],
    ]);
    expect(rows.map((r) => r.querySelector('.bar div')?.getAttribute('style'))).toEqual(['width:97.00%', 'width:3.00%']);
  });

  it('each distinct failure: its race diagram as text, the replay command, the failure file and trace links', () => {
    const d = page();
    const articles = [...d.querySelectorAll('article.failure')];
    expect(articles).toHaveLength(2);
    expect(articles[0]!.querySelector('pre.diagram')!.textContent).toBe('CPU0 | CPU1\n<get f0> unit 0');
    expect(articles[0]!.querySelector('code')!.textContent).toBe('npx foliorace replay out/failures/f-0.json');
    expect([...articles[0]!.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual(['failures/f-0.json', 'traces/t-0.json']);
  });

  it('fetches nothing: no script, stylesheet link, image or frame; every link is in-page or relative', () => {
    const d = page('<svg xmlns="http://www.w3.org/2000/svg"><text>drain</text></svg>');
    expect(d.querySelectorAll('script, link, img, iframe, object, embed')).toHaveLength(0);
    for (const a of d.querySelectorAll('a')) expect(a.getAttribute('href'), a.outerHTML).toMatch(/^(#|[\w.-]+\/)/);
    expect(d.querySelector('#drain svg text')!.textContent).toBe('drain');
    expect(d.querySelector('style')!.textContent).not.toMatch(/url\(|@import/);
  });
});
