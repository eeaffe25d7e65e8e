import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLI, cli, usageErrorCases } from './helpers/cli.js';
import { run } from './helpers/in-process.js';
import { tempOut } from './helpers/dist.js';
import { envWithoutEngines } from './helpers/campaign.js';
import { schemaErrors } from './helpers/schemas.js';

const fixture = (f: string): string => new URL(`./fixtures/${f}`, import.meta.url).pathname;
/** What a free run of 2 CPUs under `taskset -c 0` ends with on stderr (cli/free-cores.ts). */
const ONE_CORE_WARNING = 'foliorace: warning: free mode ran 2 CPUs on 1 core: they could not all run at once, and a race ' +
  'needs them to, so finding nothing here says little (--mode pct or verify schedules the CPUs instead)';

describe('foliorace CLI: bad input is exit 2 with one clear line and no stack', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown scenario', ['run', 'no-such-scenario'], /unknown scenario "no-such-scenario"; built-in: gup-longterm-vs-activate/],
    ['zero iterations', ['run', 'gup-longterm-vs-activate', '--iterations', '0'], /--iterations must be an integer from 1/],
    ['non-numeric CPUs', ['run', 'gup-longterm-vs-activate', '--cpus', 'two'], /--cpus must be an integer/],
    ['CPUs the scenario does not allow', ['run', 'gup-longterm-vs-activate', '--cpus', '3'], /runs on exactly 2 CPUs \(got 3\)/],
    ['unknown mode', ['run', 'gup-longterm-vs-activate', '--mode', 'chaos'], /--mode must be free, pct, random, exhaustive or verify \(got "chaos"\)/],
    ['--preemptions without exhaustive mode', ['run', 'gup-longterm-vs-activate', '--preemptions', '2'], /--preemptions bounds --mode exhaustive or verify only/],
    ['--part without verify mode', ['run', 'gup-longterm-vs-activate', '--mode', 'pct', '--part', '1/2'], /--part splits --mode verify only/],
    ['a part outside its count', ['run', 'gup-longterm-vs-activate', '--mode', 'verify', '--part', '3/2'], /--part must be I\/N with 2 <= N <= 10000 and 1 <= I <= N \(got "3\/2"\)/],
    ['--part-depth without --part', ['run', 'gup-longterm-vs-activate', '--mode', 'verify', '--part-depth', '8'], /--part-depth goes with --part I\/N/],
    ['a broken replay string', ['replay', 'foliorace1:0.1.0:x:gup-longterm-vs-activate:6.10::2:0:pct:forbidden:pin-failed-batch-ref:1x'], /not a foliorace replay string: bad schedule "1x"/],
    ['shrink without a file', ['shrink'], /shrink needs one failure file/],
    ['unknown kernel', ['run', 'gup-longterm-vs-activate', '--kernel', '9.9'], /unknown kernel profile "9.9"; known: 3.14-madvfree-naive, .*5.17, .*6.10, 6.11, 6.14, 6.16, 6.17, 7.3/],
    ['unknown patch', ['run', 'gup-longterm-vs-activate', '--patch', 'nope=on'], /unknown patch switch "nope"/],
    ['malformed patch', ['run', 'gup-longterm-vs-activate', '--patch', 'lru-clear-at-enqueue'], /--patch needs NAME=on\|off/],
    ['bad duration', ['run', 'gup-longterm-vs-activate', '--duration', 'soon'], /--duration must be a duration like 10s/],
    ['unknown option', ['run', 'gup-longterm-vs-activate', '--frobnicate'], /unknown option --frobnicate/],
    ['unknown command', ['frob'], /unknown command "frob"/],
    ['file that is not a scenario', ['run', fixture('not-a-scenario.js')], /is not a scenario: its default export must be defineScenario/],
    ['file with a syntax error', ['run', fixture('syntax-error.js')], /scenario error: syntax error: .*syntax-error\.js:2:1: Expected identifier but found end of file/],
    ['missing scenario file', ['run', 'missing.js'], /scenario file not found: missing.js/],
    ['missing failure file', ['replay', 'missing.json'], /cannot read failure file missing.json: no such file/],
    ['compare with one profile', ['compare', 'wp-reuse-local-batch', '--kernels', '5.18'], /--kernels needs two or more profiles/],
    ['compare with an unknown profile, before any run', ['compare', 'wp-reuse-local-batch', '--kernels', '5.18,4.4'], /unknown kernel profile "4.4"/],
    ['compare without a scenario', ['compare'], /compare needs one scenario/],
    ['compare does not take --patch', ['compare', 'wp-reuse-local-batch', '--patch', 'anon-exclusive=on'], /does not take --patch/],
    ['--jitter with a controlled mode', ['run', 'gup-longterm-vs-activate', '--mode', 'pct', '--jitter', '100'], /--jitter applies to --mode free only \(got --mode pct/],
    ['an extra argument to list', ['list', 'extra'], /unexpected argument "extra": foliorace list/],
    ['extra arguments to kernels', ['kernels', 'a', 'b'], /unexpected arguments "a b": foliorace kernels/],
    ['an extra argument to demo', ['demo', 'now'], /unexpected argument "now": foliorace demo/],
    ['an unknown reporter', ['run', 'gup-longterm-vs-activate', '--reporter', 'xml'], /--reporter must be text, tap or json \(got "xml"\)/],
    ['a JSON file that is not a failure file', ['replay', new URL('../package.json', import.meta.url).pathname], /is not a valid foliorace failure file: "foliorace" must be 1 \(missing\)/],
  ];
  usageErrorCases(cases);
});

// Each command in this process (helpers/in-process.ts: the same output and exit code); --version,
// a run that exits 0 and a reader gone before the output, as processes.
describe('foliorace CLI: commands', () => {
  it('list --json names the built-in scenario with its CPUs and profiles', async () => {
    const r = await run('list', '--json');
    expect(r.code).toBe(0);
    expect(schemaErrors('list', JSON.parse(r.stdout))).toEqual([]);
    expect(JSON.parse(r.stdout)).toContainEqual(expect.objectContaining({ name: 'gup-longterm-vs-activate', cpus: '2', before: '6.10', after: '6.11' }));
  });

  it('compare --json: one row per case, a share per profile, the scenario\'s claims; exit 0', async () => {
    const r = await run('compare', 'wp-reuse-local-batch', '--kernels', '5.17,5.18', '--mode', 'pct', '--seed', '1', '--iterations', '400', '--json');
    expect(r.code).toBe(0);
    expect(schemaErrors('compare', JSON.parse(r.stdout))).toEqual([]);
    const c = JSON.parse(r.stdout) as { rows: { case: string; kernels: Record<string, { shares: Record<string, number> }>; claim: string | null }[] };
    const local = c.rows.find((x) => x.case === 'local-batch')!;
    expect(local.kernels['5.17']!.shares['copied']).toBe(1);
    expect(local.kernels['5.18']!.shares['reused']).toBe(1);
    expect(local.claim).toMatch(/5\.18/);
  });

  it('compare prints the side-by-side table; exit 1 when a profile finds the forbidden outcome', async () => {
    const r = await run('compare', 'wp-swapcache-reuse-after-fork', '--kernels', '5.17,5.17-willy', '--mode', 'pct', '--seed', '1',
      '--iterations', '400', '--no-out');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/case\s+5\.17\s+5\.17-willy/);
    expect(r.stdout).toMatch(/child-sees-parent-write\s+-\s+\d+\.\d%/);
  });

  it('free mode on fewer cores than CPUs (taskset -c 0) warns on stderr; the JSON on stdout stays whole', () => {
    const r = spawnSync('taskset', ['-c', '0', process.execPath, CLI, 'run', 'gup-longterm-vs-activate', '--kernel', '6.11',
      '--mode', 'free', '--duration', '200ms', '--no-out', '--json'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe(`${ONE_CORE_WARNING}\n`);
    expect(r.status).toBe(0);
    expect(schemaErrors('run', JSON.parse(r.stdout))).toEqual([]);
  });

  it('a campaign with a free cell on fewer cores than CPUs warns once on stderr; a pct-only one does not', () => {
    const dir = tempOut();
    const file = (name: string, modes: object[]): string => {
      const f = `${dir}/${name}.json`;
      writeFileSync(f, JSON.stringify({ name, scenarios: ['gup-longterm-vs-activate'], profiles: ['after'], modes, seeds: ['1', '2'] }));
      return f;
    };
    const campaign = (f: string) => spawnSync('taskset', ['-c', '0', process.execPath, CLI, 'campaign', f, '--no-out'],
      { encoding: 'utf8', timeout: 60_000, env: envWithoutEngines() });
    const free = campaign(file('free', [{ mode: 'pct', iterations: 20 }, { mode: 'free', duration: '200ms' }]));
    expect(free.status, free.stderr).toBe(0);
    expect(free.stderr.split('\n').filter((l) => l.startsWith('foliorace: warning: '))).toEqual([ONE_CORE_WARNING]);
    const pct = campaign(file('pct', [{ mode: 'pct', iterations: 20 }]));
    expect(pct.status, pct.stderr).toBe(0);
    expect(pct.stderr).not.toMatch(/warning/);
  });

  it('a reader that is gone before the output (| true) ends it quietly', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" kernels | true`], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
  });

  it('kernels --json lists the profiles with their switches', async () => {
    const r = await run('kernels', '--json');
    expect(schemaErrors('kernels', JSON.parse(r.stdout))).toEqual([]);
    const k = JSON.parse(r.stdout) as { profiles: { name: string; patches: Record<string, boolean> }[] };
    expect(k.profiles.map((p) => p.name)).toEqual(expect.arrayContaining(['5.17', '5.18', '5.19', '6.10', '6.11', '6.17']));
    expect(k.profiles.find((p) => p.name === '6.11')!.patches['lru-clear-at-enqueue']).toBe(true);
    expect(k.profiles.find((p) => p.name === '5.18')!.patches['wp-local-drain']).toBe(true);
  });

  it('run 6.10 pct --json exits 1 with forbidden > 0; replay of its file exits 1 and reproduces it; shrink --json', async () => {
    const out = tempOut();
    const r = await run('run', 'gup-longterm-vs-activate', '--kernel', '6.10', '--mode', 'pct', '--seed', '1', '--iterations', '500', '--out', out, '--json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { forbidden: number; seed: string; firstFailure: { file: string } };
    expect(schemaErrors('run', report)).toEqual([]);
    expect(report.forbidden).toBeGreaterThan(0);
    expect(report.seed).toBe('1');
    expect(schemaErrors('failure', JSON.parse(readFileSync(report.firstFailure.file, 'utf8')))).toEqual([]);
    const again = await run('replay', report.firstFailure.file, '--json');
    expect(again.code).toBe(1);
    expect(schemaErrors('replay', JSON.parse(again.stdout))).toEqual([]);
    expect(JSON.parse(again.stdout).replay.reproduced).toBe(true);
    const shrunk = await run('shrink', report.firstFailure.file, '--json');
    expect(shrunk.code).toBe(1);
    expect(schemaErrors('shrink', JSON.parse(shrunk.stdout))).toEqual([]);
    // The replay string printed with the failure reproduces it without the file.
    const text = await run('replay', (JSON.parse(r.stdout) as { firstFailure: { replayString: string } }).firstFailure.replayString);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^reproduced: pin-failed-batch-ref \(recorded in pct mode, iteration \d+\)$/m);
  });

  it('--version prints the version and the model fingerprint', () => {
    const r = cli('--version');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^foliorace \d+\.\d+\.\d+ \(model [0-9a-f]{12}\)\n$/);
  });

  it('run 6.11 pct exits 0 and prints the outcome table with the seed', () => {
    const r = cli('run', 'gup-longterm-vs-activate', '--kernel', '6.11', '--mode', 'pct', '--seed', '7', '--iterations', '500', '--no-out');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/seed 7/);
    expect(r.stdout).toMatch(/pinned-after-migration\s+acceptable\s+500\s+100\.0%/);
  });

  it('runs a scenario written in TypeScript, given by path', async () => {
    const r = await run('run', fixture('tiny-scenario.ts'), '--kernel', '6.11', '--mode', 'pct', '--seed', '1', '--iterations', '200', '--json', '--no-out');
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as { scenario: string; iterations: number; violations: number };
    expect(report).toMatchObject({ scenario: 'tiny-activate-race', iterations: 200, violations: 0 });
  });

  it('--help explains run options', async () => {
    const r = await run('run', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--stop-on-first/);
  });
});
