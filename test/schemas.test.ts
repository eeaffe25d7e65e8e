// The published schemas of foliorace's machine-readable outputs (docs/schemas/): each compiles
// (Ajv, strict mode), fixes the format its output carries, is linked from docs/cli.md, and is checked
// against real outputs by the tests that produce them (schemaErrors('NAME', …)); the readers of
// foliorace's own files refuse a format they do not know with one line naming it.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../dist/src/errors.js';
import { MERGED_FILE, MERGED_FORMAT, readMergedResult, readShardResults, SHARD_FORMAT, shardFileName } from '../dist/src/campaign/result.js';
import { parseFailureFile } from '../dist/src/repro/failure-validate.js';
import { SHRINK_FORMAT } from '../dist/src/repro/shrink-file.js';
import { REPLAY_FORMAT, RUN_FORMAT } from '../dist/src/report/report.js';
import { COMPARE_FORMAT } from '../dist/src/report/compare.js';
import { TRACE_FORMAT } from '../dist/src/report/trace.js';
import { BENCH_DRAIN_FORMAT } from '../dist/src/drain-bench/drain.js';
import { KERNELS_FORMAT } from '../dist/src/cli/listings.js';
import { SELFTESTS_FORMAT } from '../dist/src/cli/selftests.js';
import { shard } from './helpers/campaign.js';
import { runScenario } from './helpers/dist.js';
import { SCHEMA_DIR, SCHEMA_NAMES, schemaErrors } from './helpers/schemas.js';

const schema = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`${name}.schema.json`, SCHEMA_DIR), 'utf8')) as Record<string, unknown>;

/** Every `const` in a schema. */
function consts(node: unknown): unknown[] {
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([k, v]) => (k === 'const' ? [v] : consts(v)));
}

/** The format each output's schema fixes, as the code writes it (null: a JSON array, which has no room for one). */
const FORMATS: Record<string, string | number | null> = {
  run: RUN_FORMAT, replay: REPLAY_FORMAT, compare: COMPARE_FORMAT, shrink: SHRINK_FORMAT, kernels: KERNELS_FORMAT,
  selftests: SELFTESTS_FORMAT, 'bench-drain': BENCH_DRAIN_FORMAT, 'campaign-shard': SHARD_FORMAT, 'campaign-merged': MERGED_FORMAT,
  trace: TRACE_FORMAT, failure: 1, list: null, 'selftest-catalogue': null,
};

describe('docs/schemas/', () => {
  const outputs = SCHEMA_NAMES.filter((n) => n !== 'common');

  it('one schema per machine-readable output, each named by its file and compiled by Ajv in strict mode', () => {
    expect(outputs.sort()).toEqual(Object.keys(FORMATS).sort());
    for (const name of SCHEMA_NAMES) {
      expect(schema(name)['$id']).toBe(`${name}.schema.json`);
      expect(() => schemaErrors(name, {})).not.toThrow();
    }
  });

  it('each schema fixes the format the code writes', () => {
    for (const [name, format] of Object.entries(FORMATS)) {
      expect(consts(schema(name)), name).toEqual(format === null ? [] : expect.arrayContaining([format]));
    }
    expect(new Set(Object.values(FORMATS).filter((f) => f !== null)).size).toBe(outputs.length - 2);
  });

  it('docs/cli.md links every schema, and CHANGELOG.md names every format', () => {
    const cli = readFileSync(new URL('../docs/cli.md', import.meta.url), 'utf8');
    const changelog = readFileSync(new URL('../CHANGELOG.md', import.meta.url), 'utf8');
    for (const name of outputs) expect(cli, name).toContain(`(schemas/${name}.schema.json)`);
    for (const format of Object.values(FORMATS)) if (typeof format === 'string') expect(changelog, format).toContain(format);
  });

  it('every output schema is checked against real output by a test that produces it', () => {
    const tests = (dir: URL): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.test.ts'))
      .map((f) => readFileSync(new URL(f, dir), 'utf8'));
    const text = tests(new URL('./', import.meta.url)).join('\n');
    expect(outputs.filter((name) => !text.includes(`schemaErrors('${name}', `))).toEqual([]);
  });

  it('the report of --mode exhaustive (what run --json prints) conforms, with its exhaustive facts', async () => {
    const r = await runScenario({ scenario: 'gup-longterm-vs-activate', kernel: '6.11', mode: 'exhaustive', preemptions: 1, seed: '1', out: null });
    const printed = JSON.parse(JSON.stringify(r)) as typeof r;
    expect(printed.exhaustive).toMatchObject({ preemptions: 1, complete: true });
    expect(schemaErrors('run', printed)).toEqual([]);
  });

  it('the report of --mode verify conforms, with its verify facts, found or verified', async () => {
    for (const kernel of ['6.10', '6.11']) {
      const r = await runScenario({ scenario: 'gup-longterm-vs-activate', kernel, mode: 'verify', preemptions: 1, seed: '1', out: null });
      const printed = JSON.parse(JSON.stringify(r)) as typeof r;
      expect(printed.verify).toMatchObject({ preemptions: 1, complete: kernel === '6.11' });
      expect(schemaErrors('run', printed)).toEqual([]);
    }
  });

  it('a report of an older shape fails its schema: replay\'s `reproduced` at the top level instead of under `replay`', () => {
    const old = { format: REPLAY_FORMAT, scenario: 's', kernel: '6.10', patches: {}, mode: 'pct', seed: '1', cpus: 2, version: '0.1.0',
      fingerprint: 'a0955555d1a9-7f0505ef', iterations: 1, elapsedMs: 1, startupMs: 1, iterationsPerSecond: 1, simulatedUsPerIteration: 0,
      outcomes: [], forbidden: 0, violations: 0, deadlocks: 0, unknown: 0, watchdog: null, firstFailure: null, interrupted: false,
      scenarioError: null, reproduced: true };
    expect(schemaErrors('replay', old)).toEqual(["/: must have required property 'replay'"]);
    expect(schemaErrors('run', { ...old, format: RUN_FORMAT })).toEqual([]);
    expect(schemaErrors('run', { ...old, format: 'foliorace-run/2' })).toEqual(['/format: must be equal to constant']);
  });
});

describe('readers refuse a format they do not know, with one line naming it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'foliorace-formats-'));
  const write = (sub: string, name: string, value: unknown): string => {
    mkdirSync(join(dir, sub), { recursive: true });
    writeFileSync(join(dir, sub, name), JSON.stringify(value));
    return join(dir, sub);
  };
  const refusal = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      expect((e as Error).message).not.toContain('\n');
      return (e as Error).message;
    }
    throw new Error('not refused');
  };

  it('merge (and report) of a shard result of a later format', () => {
    const at = write('shard2', shardFileName(1, 1), { ...shard(1, 1, [0]), format: 'foliorace-campaign-shard/2' });
    expect(refusal(() => readShardResults(at))).toBe(`${join(at, shardFileName(1, 1))} is a campaign shard result of format ` +
      'foliorace-campaign-shard/2, which this foliorace does not read (it reads foliorace-campaign-shard/1): use the foliorace that wrote it, or a newer one');
    const other = write('shard-other', shardFileName(1, 1), { format: 'something-else/1' });
    expect(refusal(() => readShardResults(other))).toMatch(/is not a foliorace campaign shard result \(format "something-else\/1"\)$/);
  });

  it('report of a merged result of a later format', () => {
    const at = write('merged2', MERGED_FILE, { format: 'foliorace-campaign-merged/7' });
    expect(refusal(() => readMergedResult(at))).toMatch(/merged\.json is a merged campaign result of format foliorace-campaign-merged\/7, which this foliorace does not read \(it reads foliorace-campaign-merged\/1\)/);
  });

  it('replay of a failure file of a later format ("foliorace": 2); a file that is not a failure file still says which field', () => {
    expect(refusal(() => parseFailureFile('{"foliorace": 2, "scenario": "x"}', 'f.json'))).toBe('f.json is a foliorace failure file of format ' +
      '"foliorace": 2, which this foliorace does not read (it reads "foliorace": 1): use the foliorace that wrote it, or a newer one');
    expect(refusal(() => parseFailureFile('{"foliorace": "2"}', 'f.json'))).toBe('f.json is not a valid foliorace failure file: "foliorace" must be 1 (got "2")');
  });
});
