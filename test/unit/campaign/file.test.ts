import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAMPAIGN_FIELDS, parseCampaign, readCampaignFile } from '../../../src/campaign/file.js';
import { planCampaign } from '../../../src/campaign/plan.js';
import { BUILTIN_SCENARIOS } from '../../../src/scenarios/index.js';

const CAMPAIGNS = new URL('../../../campaigns/', import.meta.url).pathname;
const SCHEMA = JSON.parse(readFileSync(new URL('../../../docs/campaign.schema.json', import.meta.url), 'utf8')) as { properties: Record<string, unknown> };
const base = { name: 't', scenarios: ['gup-longterm-vs-activate'], modes: [{ mode: 'pct', iterations: 10 }] };

describe('campaign file', () => {
  it('the published schema lists exactly the fields the reader accepts', () => {
    expect(Object.keys(SCHEMA.properties).sort()).toEqual([...CAMPAIGN_FIELDS].sort());
  });

  it('every campaign shipped in campaigns/ reads', () => {
    const files = readdirSync(CAMPAIGNS).filter((f) => f.endsWith('.json'));
    expect(files).toContain('demo.json');
    for (const f of files) expect(readCampaignFile(CAMPAIGNS + f).name).toBe(f.replace(/\.json$/, ''));
  });

  it('defaults: profiles before and after, seed 1, exit on a finding', () => {
    const c = parseCampaign(base, 'x.json');
    expect(c.profiles.map((p) => p.kernel)).toEqual(['before', 'after']);
    expect(c.seeds).toEqual(['1']);
    expect(c.exit).toBe('finding');
  });

  it('a profile with a patch file: "KERNEL+FILE" or {kernel, patchFile}, relative to the campaign file', () => {
    const c = parseCampaign({ ...base, profiles: ['6.10+../examples/fix.ts', { kernel: 'after', patchFile: 'x/fix.mjs' }, '6.17'] }, 'x.json');
    expect(c.profiles.map((p) => [p.kernel, p.patchFile])).toEqual([['6.10', '../examples/fix.ts'], ['after', 'x/fix.mjs'], ['6.17', null]]);
    expect(() => parseCampaign({ ...base, profiles: ['6.10+fix'] }, 'x.json')).toThrow(/"profiles\[0\]" must be a profile, or a profile \+ a patch file/);
    expect(() => parseCampaign({ ...base, profiles: [{ kernel: '6.10', patchFile: 'fix.txt' }] }, 'x.json'))
      .toThrow(/"profiles\[0\]\.patchFile" must be a \.ts, \.js or \.mjs path/);
  });

  it('plans a patch file\'s cells apart, named after the patch, with no expectation, its content in the hash', async () => {
    const file = `${CAMPAIGNS}patch-examples.json`;
    const spec = { ...readCampaignFile(file), scenarios: ['gup-longterm-vs-activate'] };
    const plan = await planCampaign(spec, file);
    const keys = plan.cells.filter((c) => c.mode === 'pct').map((c) => c.key);
    expect(keys).toEqual(['6.10+lru-clear-at-enqueue=on', '6.10+lru-flag-at-enqueue', '6.17+gup-drain-pin-refs=on', '6.17+pin-refs-drain']
      .map((k) => `gup-longterm-vs-activate · ${k} · pct`));
    expect(plan.cells.every((c) => c.expected === null)).toBe(true);
    expect(Object.values(plan.patchPaths).every((p) => p.startsWith('/') && p.includes('/examples/'))).toBe(true);
    // another copy of the same campaign and patch plans the same work; an edit of the patch is other work
    const dir = mkdtempSync(join(tmpdir(), 'foliorace-campaign-'));
    mkdirSync(join(dir, 'examples'));
    const copy = join(dir, 'examples/gup-drain-pin-refs.ts');
    copyFileSync(`${CAMPAIGNS}../examples/gup-drain-pin-refs.ts`, copy);
    const moved = { ...spec, profiles: spec.profiles.filter((p) => p.patchFile?.includes('gup')) };
    const hashOf = async (): Promise<string> => (await planCampaign(moved, join(dir, 'campaigns/c.json'))).hash;
    const first = await hashOf();
    expect(await planCampaign({ ...spec, profiles: moved.profiles }, file).then((p) => p.hash)).toBe(first);
    appendFileSync(copy, '// edited\n');
    expect(await hashOf()).not.toBe(first);
  }, 120_000);

  it('seeds as a range', () => {
    expect(parseCampaign({ ...base, seeds: { from: 7, count: 3 } }, 'x.json').seeds).toEqual(['7', '8', '9']);
  });

  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['an unknown field', { ...base, iterations: 5 }, /x.json: unknown field "iterations"/],
    ['no modes', { ...base, modes: [] }, /"modes" must be a non-empty list/],
    ['a duration in pct mode', { ...base, modes: [{ mode: 'pct', iterations: 5, duration: '2s' }] }, /"modes\[0\].duration" must be absent in pct and random mode/],
    ['a malformed duration', { ...base, modes: [{ mode: 'free', duration: 'soon' }] }, /"modes\[0\].duration" must be a duration like "2s"/],
    ['neither iterations nor duration', { ...base, modes: [{ mode: 'free' }] }, /"modes\[0\]" must be given "iterations", "duration" or both/],
    ['repeated seeds', { ...base, seeds: ['1', 1] }, /"seeds" must be a list without repeats/],
    ['a patch that is not on/off', { ...base, profiles: [{ kernel: '6.10', patches: { x: 'on' } }] }, /"profiles\[0\].patches" must be an object of patch switches/],
    ['scenarios that are neither "builtin" nor a list', { ...base, scenarios: 'all' }, /"scenarios" must be "builtin" or a non-empty list/],
    ['parts outside verify mode', { ...base, modes: [{ mode: 'pct', iterations: 5, parts: 2 }] }, /"modes\[0\].parts" must be absent outside verify mode/],
    ['one part', { ...base, modes: [{ mode: 'verify', parts: 1 }] }, /"modes\[0\].parts" must be an integer from 2 to 10000/],
    ['a part depth without parts', { ...base, modes: [{ mode: 'verify', partDepth: 8 }] }, /"modes\[0\].partDepth" must be absent without "parts"/],
  ];
  for (const [what, raw, message] of bad) it(`refuses ${what}, naming the field`, () => expect(() => parseCampaign(raw, 'x.json')).toThrow(message));
});

describe('campaign plan', () => {
  it('"builtin" with before, after and expects-bug: every built-in scenario, its profiles deduplicated, each mode', async () => {
    const plan = await planCampaign(readCampaignFile(`${CAMPAIGNS}demo.json`), `${CAMPAIGNS}demo.json`);
    expect([...new Set(plan.cells.map((c) => c.name))]).toEqual(BUILTIN_SCENARIOS.map((s) => s.name));
    for (const s of BUILTIN_SCENARIOS) {
      const others = Object.entries(s.expect).filter(([, e]) => e !== 'never').map(([k]) => k);
      const kernels = [...new Set([s.before, s.after, ...others])];
      expect(plan.cells.filter((c) => c.name === s.name).map((c) => `${c.kernel} ${c.mode}`)).toEqual(kernels.flatMap((k) => [`${k} pct`, `${k} free`]));
    }
    expect(plan.units).toHaveLength(plan.cells.length);
  });

  it('a verify mode in parts: one unit per part of each seed, numbered 1..P; parts and depth name the cell and change the hash', async () => {
    const plan = async (m: Record<string, unknown>) => planCampaign(parseCampaign({ ...base, seeds: ['1', '2'], modes: [m] }, 'x.json'), 'x.json');
    const p = await plan({ mode: 'verify', parts: 3 });
    const perCell = p.cells.length;
    expect(p.units).toHaveLength(perCell * 2 * 3);
    expect(p.units.filter((u) => u.cell === 0).map((u) => `${u.seed}/${u.part}`)).toEqual(['1/1', '1/2', '1/3', '2/1', '2/2', '2/3']);
    expect(p.cells[0]!.key).toMatch(/ · verify parts=3$/);
    const deeper = await plan({ mode: 'verify', parts: 3, partDepth: 20 });
    expect(deeper.cells[0]!.key).toMatch(/ · verify parts=3 depth=20$/);
    expect(new Set([p.hash, deeper.hash, (await plan({ mode: 'verify' })).hash]).size).toBe(3);
  });

  it('the hash names the work: same work, same hash; other iterations, other hash; the description does not count', async () => {
    const hash = async (raw: Record<string, unknown>): Promise<string> => (await planCampaign(parseCampaign(raw, 'x.json'), 'x.json')).hash;
    const h = await hash(base);
    expect(await hash({ ...base, description: 'words' })).toBe(h);
    expect(await hash({ ...base, modes: [{ mode: 'pct', iterations: 11 }] })).not.toBe(h);
    expect(await hash({ ...base, seeds: ['2'] })).not.toBe(h);
  });

  it('patch overrides name the cell and drop the expectation; an unknown profile is refused', async () => {
    const plan = await planCampaign(parseCampaign({ ...base, profiles: ['before', { kernel: '6.10', patches: { 'lru-clear-at-enqueue': true } }] }, 'x.json'), 'x.json');
    expect(plan.cells.map((c) => [c.key, c.expected])).toEqual([
      ['gup-longterm-vs-activate · 6.10 · pct', 'found'],
      ['gup-longterm-vs-activate · 6.10+lru-clear-at-enqueue=on · pct', null],
    ]);
    await expect(planCampaign(parseCampaign({ ...base, profiles: ['9.9'] }, 'x.json'), 'x.json')).rejects.toThrow(/unknown kernel profile "9.9"/);
  });
});
