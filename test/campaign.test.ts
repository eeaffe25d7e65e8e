// Campaigns end to end on the built CLI: one small campaign run whole and as 4 shards, each shard
// started the way a different engine starts it; merged, it must equal the whole run exactly.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MergedResult, ShardResult } from '../src/campaign/result.js';
import { envWithoutEngines } from './helpers/campaign.js';
import { CLI, cliAsync, usageErrorCases, type Ran } from './helpers/cli.js';
import { findChromium, loadPage } from './helpers/chromium.js';
import { tempOut } from './helpers/dist.js';
import { command, type Printed } from './helpers/in-process.js';
import { schemaErrors } from './helpers/schemas.js';


/** A campaign as a process started in `dir`, with an engine's variables (`env`) and no others. */
function cli(args: string[], env: Record<string, string> = {}): Promise<Ran> {
  return cliAsync(args, { cwd: dir, env: { ...envWithoutEngines(), ...env } });
}
/** merge, report, replay in `dir`: they read no engine variable (helpers/in-process.ts). */
const foliorace = (...args: string[]): Promise<Printed> => command(args, { cwd: dir });

const dir = tempOut();
const campaign = (name: string, iterations: number, seeds: number): string => {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ name, scenarios: ['gup-longterm-vs-activate'], profiles: ['before', 'after'],
    modes: [{ mode: 'pct', iterations }], seeds: { from: 1, count: seeds } }));
  return file;
};
const small = campaign('small', 40, 4);
const other = campaign('other', 20, 1);
// Each shard as its engine starts it; GitHub Actions passes the matrix value on the command line.
const SHARDS: [string[], Record<string, string>][] = [
  [['--shard', 'auto', '--shard-count', '4'], { JOB_COMPLETION_INDEX: '0' }],
  [['--shard', 'auto'], { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '4' }],
  [['--shard', 'auto'], { CI_NODE_INDEX: '3', CI_NODE_TOTAL: '4' }],
  [['--shard', '4/4'], {}],
];
let whole: Ran, shards: Ran[], otherRun: Ran;

describe('campaign: 4 shards started by 4 engines, merged', () => {
beforeAll(async () => {
    [whole, otherRun, ...shards] = await Promise.all([
      cli(['campaign', small, '--out', 'whole', '--json']),
      cli(['campaign', other, '--out', 'other']),
      ...SHARDS.map(([args, env], i) => cli(['campaign', small, ...args, '--out', `s${i + 1}`, '--json'], env)),
    ]);
  }, 180_000);

  it('each shard takes its part from its engine\'s variables and writes a self-describing result', () => {
    const sources = shards.map((r) => {
      expect(r.code, r.stderr).toBe(1); // every shard has one seed of 6.10, which finds the race
      const s = JSON.parse(r.stdout) as ShardResult;
      expect(schemaErrors('campaign-shard', s)).toEqual([]);
      expect(s.campaign.hash).toMatch(/^[0-9a-f]{16}$/);
      expect(s.foliorace.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(s.units.length).toBe(2);
      return [s.shard.index, s.shard.count, s.shard.source];
    });
    expect(sources).toEqual([
      [1, 4, 'JOB_COMPLETION_INDEX=0, --shard-count 4'],
      [2, 4, 'SLURM_ARRAY_TASK_ID=2 (MIN 1, COUNT 4)'],
      [3, 4, 'CI_NODE_INDEX=3, CI_NODE_TOTAL=4'],
      [4, 4, '--shard 4/4'],
    ]);
    for (const r of shards) expect(r.stderr).toMatch(/^\[1\/2\] gup-longterm-vs-activate · 6\.1[01] · pct · seed \d: 40 iterations/m);
  });

  it('merged, the shards give exactly the histograms of the unsharded run, and its findings', async () => {
    const m = await foliorace('merge', 's1', 's2', 's3', 's4', '--out', 'merged', '--json');
    expect(m.code, m.stderr).toBe(1);
    const merged = JSON.parse(m.stdout) as MergedResult;
    const w = JSON.parse(whole.stdout) as MergedResult;
    expect(schemaErrors('campaign-merged', merged)).toEqual([]);
    expect(schemaErrors('campaign-merged', w)).toEqual([]);
    expect(whole.code).toBe(1);
    expect(merged.campaign.hash).toBe(w.campaign.hash);
    expect(merged.cells.map((c) => [c.key, c.seeds, c.iterationsRun, c.outcomes, c.forbidden])).toEqual(
      w.cells.map((c) => [c.key, c.seeds, c.iterationsRun, c.outcomes, c.forbidden]));
    expect(merged.cells[0]!.forbidden).toBeGreaterThan(0);
    expect(merged.cells[1]!.forbidden).toBe(0);
    const key = (f: MergedResult['failures'][number]): string => `${f.cell} ${f.seed} ${f.schedule}`;
    expect(merged.failures.map(key)).toEqual(w.failures.map(key));
    expect(merged.shards.map((s) => s.index)).toEqual([1, 2, 3, 4]);
    expect(readdirSync(join(dir, 'merged', 'failures'))).toHaveLength(merged.failures.length);
  });

  it('every file the shards and the merge wrote conforms to its schema (docs/schemas/)', () => {
    const json = (...p: string[]): unknown => JSON.parse(readFileSync(join(dir, ...p), 'utf8'));
    const files = (...p: string[]): string[] => readdirSync(join(dir, ...p)).map((f) => join(...p, f));
    const written: [string, string[]][] = [
      ['campaign-shard', ['s1', 's2', 's3', 's4'].flatMap((s) => files(s).filter((f) => /shard-\d-of-4\.json$/.test(f)))],
      ['campaign-merged', ['merged/merged.json']],
      ['failure', [...files('merged', 'failures'), ...files('s1', 'failures')]],
      ['trace', [...files('merged', 'traces'), ...files('s1', 'traces')]],
    ];
    for (const [schema, paths] of written) {
      expect(paths.length, schema).toBeGreaterThan(0);
      for (const f of paths) expect(schemaErrors(schema, json(f)), f).toEqual([]);
    }
  });

  it('a shard result of a later format is refused by merge: exit 2, one line naming the format', async () => {
    const s = JSON.parse(readFileSync(join(dir, 's1', 'shard-1-of-4.json'), 'utf8')) as ShardResult;
    mkdirSync(join(dir, 'later'));
    writeFileSync(join(dir, 'later', 'shard-1-of-4.json'), JSON.stringify({ ...s, format: 'foliorace-campaign-shard/2' }));
    const r = await foliorace('merge', 'later', '--out', 'm-later');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('foliorace: later/shard-1-of-4.json is a campaign shard result of format foliorace-campaign-shard/2, which this ' +
      'foliorace does not read (it reads foliorace-campaign-shard/1): use the foliorace that wrote it, or a newer one\n');
  });

  it('a missing shard is reported and refused (exit 2, one line)', async () => {
    const r = await foliorace('merge', 's1', 's2', 's4', '--out', 'm-missing');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^foliorace: missing shard 3\/4: 2 of 8 units have no result \(--partial merges what is there\)\n$/);
  });

  it('a duplicated shard is reported and refused', async () => {
    cpSync(join(dir, 's2'), join(dir, 's2-again'), { recursive: true });
    const r = await foliorace('merge', 's1', 's2', 's3', 's4', 's2-again', '--out', 'm-dup');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^foliorace: shard 2\/4 is given twice: s2\/shard-2-of-4.json and s2-again\/shard-2-of-4.json; keep one\n$/);
  });

  it('results of two different campaigns are refused', async () => {
    expect(otherRun.code, otherRun.stderr).toBe(1);
    const r = await foliorace('merge', 'whole', 'other', '--out', 'm-mixed');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/other\/shard-1-of-1.json is from another campaign \("other", hash [0-9a-f]{16}\) than whole\/shard-1-of-1.json \("small"/);
  });
});

describe('campaign: stopped by SIGTERM (a pod evicted, a Slurm time limit)', () => {
  it('keeps the finished units, exits 143, and merge calls the shard incomplete', async () => {
    const p = spawn(process.execPath, [CLI, 'campaign', small, '--out', 'stopped'], { env: envWithoutEngines(), cwd: dir });
    let stderr = '';
    const code = await new Promise<number | null>((resolve) => {
      p.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (!p.killed && /^\[1\/8\]/m.test(stderr)) p.kill('SIGTERM'); // once: a second signal quits at once
      });
      p.on('close', resolve);
    });
    expect(code, stderr).toBe(143);
    const s = JSON.parse(readFileSync(join(dir, 'stopped', 'shard-1-of-1.json'), 'utf8')) as ShardResult;
    expect(s.complete).toBe(false);
    expect(s.units.length).toBeGreaterThanOrEqual(1);
    expect(s.units.length).toBeLessThan(8);
    const r = await foliorace('merge', 'stopped', '--out', 'm-stopped');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/incomplete shard 1\/1 \(stopped\/shard-1-of-1.json: stopped early\)/);
  });
});

describe('campaign report: static HTML', () => {
  it('is written with the failure files it links, and its replay command reproduces the failure', async () => {
    const r = await foliorace('report', 'merged', '--html', 'html');
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'html', 'index.html'))).toBe(true);
    const failure = readdirSync(join(dir, 'html', 'failures'))[0]!;
    const replay = await foliorace('replay', join('html', 'failures', failure));
    expect(replay.code).toBe(1);
    expect(replay.stdout).toMatch(/^reproduced: pin-failed-batch-ref \(recorded in pct mode/m);
  });

  const chromium = findChromium();
  // CI installs chromium (.ci/run); elsewhere the browser check needs `apt-get install chromium`.
  it.skipIf(chromium === null && process.env['CI'] !== 'true')('headless Chromium opens it from file:// with no console error, nothing fetched, and draws it', async () => {
    expect(chromium, 'chromium is not installed (.ci/run installs it)').not.toBeNull();
    const url = pathToFileURL(join(dir, 'html', 'index.html')).href;
    const page = await loadPage(chromium!, url);
    expect(page.errors).toEqual([]);
    expect(page.requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
    expect(page.requests).toContain(url);
    const png = PNG.sync.read(page.png);
    writeFileSync(join(dir, 'screenshot.png'), page.png);
    let white = 0;
    const colours = new Set<number>();
    for (let i = 0; i < png.data.length; i += 4) {
      const rgb = (png.data[i]! << 16) | (png.data[i + 1]! << 8) | png.data[i + 2]!;
      if (rgb === 0xffffff) white++;
      colours.add(rgb);
    }
    expect(png.width).toBeGreaterThan(100);
    expect(1 - white / (png.width * png.height)).toBeGreaterThan(0.02); // some of the page is drawn
    expect(colours.size).toBeGreaterThan(20); // text, bars and badges in several colours
  }, 90_000);
});

describe('campaign, merge, report: bad input is exit 2 with one clear line', () => {
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ name: 'bad', scenarios: 'builtin', modes: [{ mode: 'pct' }] }));
  const cases: [string, string[], RegExp][] = [
    ['no campaign file', ['campaign'], /campaign needs one campaign file/],
    ['a missing campaign file', ['campaign', 'missing.json'], /cannot read campaign file missing.json: no such file/],
    ['a campaign file with a bad field', ['campaign', bad], /bad.json: "modes\[0\]" must be given "iterations", "duration" or both/],
    ['a shard outside 1..N', ['campaign', small, '--shard', '5/4'], /--shard must be I\/N with 1 <= I <= N \(got "5\/4"\)/],
    ['--shard auto with no engine variables', ['campaign', small, '--shard', 'auto'], /--shard auto found no shard variables/],
    ['merge of nothing', ['merge'], /merge needs the shards' result directories/],
    ['merge of a directory that is not there', ['merge', 'nowhere'], /no such result directory: nowhere/],
    ['report without --html', ['report', 'merged'], /report needs a merged result and --html/],
  ];
  usageErrorCases(cases, { cwd: dir, env: envWithoutEngines() });
});
