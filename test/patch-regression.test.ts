// A patch that makes things worse is caught as any bug is: examples/lazyfree-no-refcheck.ts drops
// the refcount test of 6c8e2a256915, and under 6.17 the MADV_FREE direct-I/O race comes back:
// found, written with the patch file by name and content hash, replayed (from the file and from
// its replay string), shrunk. The same patch and seed run the same schedules; a patch file edited
// since the failure is said first; compare shows the profile with and without it.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { replayFailure, runScenario, tempOut } from './helpers/dist.js';
import { replayString } from '../dist/src/api/run.js';
import { TEST_SEED } from './helpers/seed.js';
import { run as foliorace } from './helpers/in-process.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const PATCH = join(ROOT, 'examples/lazyfree-no-refcheck.ts');
const RACE = 'madv-free-dio-read';
const run = (patchFile: string | null, out: string | null, iterations = 2000) => runScenario({
  scenario: RACE, kernel: '6.17', ...(patchFile ? { patchFile } : {}), mode: 'pct', seed: TEST_SEED, iterations, stopOnFirst: true, out,
});

describe(`${RACE} under 6.17 with a patch that drops 6c8e2a256915's refcount test (pct, seed ${TEST_SEED})`, () => {
  it('6.17 as it is: never lost-dio-data; with the patch file: found, replayable, shrunk, recorded by name and hash', async () => {
    expect((await run(null, null)).forbidden).toBe(0);
    const out = tempOut();
    const r = await run(PATCH, out);
    expect(r.kernel).toBe('6.17');
    expect(r.patchFile).toMatchObject({ name: 'lazyfree-no-refcheck', path: PATCH });
    expect(r.patchFile!.hash).toMatch(/^[0-9a-f]{12}$/);
    expect(r.forbidden).toBeGreaterThan(0);
    const f = r.firstFailure!;
    expect(f.outcome).toBe('lost-dio-data');
    expect(f.replayVerified).toBe(true);
    expect(f.shrunk).not.toBeNull();
    const file = JSON.parse(readFileSync(f.file!, 'utf8')) as { patchFile: unknown; fingerprint: string };
    expect(file.patchFile).toEqual(r.patchFile);
    expect(file.fingerprint).toBe(r.fingerprint);
    expect(r.fingerprint).not.toBe((await run(null, null, 10)).fingerprint); // the patch is part of the model's fingerprint
    const again = await replayFailure(f.file!);
    expect(again.replay).toMatchObject({ verdict: 'reproduced' });
    expect(again.patchFile).toEqual(r.patchFile);
    expect(again.patchChanged).toBeUndefined();
    expect(again.modelChanged).toBeUndefined();
    expect(f.replayString!.split(':')).toHaveLength(13);
    expect((await replayString(f.replayString!)).replay).toMatchObject({ verdict: 'reproduced' });
  }, 300_000);

  it('determinism: the same scenario, profile, patch file and seed give the same schedule and outcomes', async () => {
    const [a, b] = [await run(PATCH, null, 300), await run(PATCH, null, 300)];
    expect(a.outcomes).toEqual(b.outcomes);
    expect(a.firstFailure?.schedule).toBe(b.firstFailure?.schedule);
    expect(a.firstFailure?.schedule).toBeDefined();
  }, 300_000);

  it('a replay whose patch file changed says so first, and still replays; one whose patch file is gone is exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'foliorace-patch-'));
    const patch = join(dir, 'fix.ts');
    copyFileSync(PATCH, patch);
    const r = await run(patch, dir);
    writeFileSync(patch, `${readFileSync(patch, 'utf8')}// edited\n`);
    const replayed = await foliorace('replay', r.firstFailure!.file!);
    expect(replayed.stdout.split('\n')[0]).toMatch(new RegExp(`^warning: patch file ${patch} changed since this failure was recorded ` +
      `\\(content ${r.patchFile!.hash}, now [0-9a-f]{12}\\)\\. Replayed with it as it is now: it still reproduces\\.$`));
    expect(replayed.code).toBe(1);
    const json = JSON.parse((await foliorace('replay', r.firstFailure!.file!, '--json')).stdout) as { patchChanged: unknown };
    expect(json.patchChanged).toMatchObject({ path: patch, recorded: r.patchFile!.hash });
    const gone = await foliorace('replay', r.firstFailure!.replayString!.replace(encodeURIComponent(patch), encodeURIComponent(join(dir, 'nope.ts'))));
    expect(gone.code).toBe(2);
    expect(gone.stderr).toMatch(/it was recorded with patch file .*nope\.ts \(lazyfree-no-refcheck, [0-9a-f]{12}\), which is gone/);
  }, 300_000);

  it('compare --kernels 6.17,6.17+FILE shows the profile without and with the patch file', async () => {
    const r = await foliorace('compare', RACE, '--kernels', `6.17,6.17+${PATCH}`, '--mode', 'pct', '--seed', TEST_SEED, '--iterations', '300', '--no-out');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/case +6\.17 +6\.17\+lazyfree-no-refcheck/);
    expect(r.stdout).toMatch(/lost-dio-data +- +\d+\.\d%/);
    expect(r.code).toBe(1);
  }, 300_000);
});
