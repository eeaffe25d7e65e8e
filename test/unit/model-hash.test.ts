// The model fingerprint (scripts/model-hash.mjs) covers everything a replay depends on: every
// source module a CPU worker runs, the selftests and the authoring surface included.
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a build script in plain JavaScript, without declarations
import { modelFiles } from '../../scripts/model-hash.mjs';
import { workerBundleModules } from '../helpers/imports.js';

describe('model fingerprint', () => {
  const hashed = (modelFiles() as string[]).map((f) => f.replace(/^src\//, ''));

  it('hashes every src/ module in the CPU worker bundle', async () => {
    const bundled = await workerBundleModules();
    expect(bundled.length).toBeGreaterThan(50);
    expect(bundled.filter((f) => !hashed.includes(f))).toEqual([]);
  });

  it('recurses into folders: the selftests and the authoring surface are in it', () => {
    expect(hashed).toContain('scenarios/selftests/cow-ro-pin.ts');
    expect(hashed).toContain('scenario/define.ts');
    expect(hashed).toContain('scenario/index.ts');
  });

  it("holds none of the main thread's code", () => {
    expect(hashed.filter((f) => /^(host|load|repro|api|report|campaign|cli|drain-bench)\//.test(f))).toEqual([]);
  });
});
