// Exact and minimal reproductions: conversion of a free-mode order that does not replay, shrinking,
// versions in reports and files, a replay under another model fingerprint.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayFailure, runScenario, tempOut, type RunReport } from './helpers/dist.js';
import { TEST_SEED } from './helpers/seed.js';
import { FREE_FIND_MS, nothingFound } from './helpers/free.js';
import { postsThrow } from './helpers/posts-throw.js';
import { NEWEST_PROFILE } from '../dist/src/kernel/profile.js';
import { Explorer } from '../dist/src/host/explorer.js';
import { convertFreeFailure } from '../dist/src/repro/convert.js';
import { sameTarget } from '../dist/src/repro/finding.js';
import { resolveRunOptions } from '../dist/src/host/options.js';
import { shrinkFailureFile } from '../dist/src/repro/shrink-file.js';
import { decodeSchedule } from '../dist/src/sched/schedule.js';
import { builtinScenario } from '../dist/src/scenarios/index.js';
import { FOLIORACE_VERSION, MODEL_FINGERPRINT } from '../dist/src/version.js';

const GUP = 'gup-longterm-vs-activate';

describe(`exact, minimal reproductions (seed ${TEST_SEED})`, () => {
  it('conversion: an order that does not reproduce the finding is searched into one that does, and that one replays', async () => {
    const scenario = builtinScenario(GUP)!;
    const r = resolveRunOptions({ scenario: GUP, kernel: '6.10', seed: TEST_SEED }, scenario);
    const target = { kind: 'forbidden' as const, name: 'pin-failed-batch-ref' };
    // CPU0 pins before CPU1 touches the page: the recorded order of a failure that free mode could
    // have reported (its tickets out of order with its operations), which cannot itself fail.
    const recorded = decodeSchedule('0x20 1x13 0x41', 2);
    const explorer = await Explorer.open({ builtin: GUP }, scenario, r);
    try {
      const same = (e: { finding: Parameters<typeof sameTarget>[2] }): boolean => sameTarget(scenario, target, e.finding);
      expect(same(await explorer.run(recorded, 0))).toBe(false);
      const c = await convertFreeFailure(explorer, recorded, 0, same, 20_000, r.seedHash, 2);
      expect(c.found).not.toBeNull();
      expect(c.phase).not.toBe('recorded');
      expect(c.tried.recorded).toBe(1);
      const again = await explorer.run(c.found!.schedule, 0);
      expect(same(again)).toBe(true);
      expect(again.schedule).toEqual(c.found!.schedule);
      // a stop request (a signal) ends the same search after the recorded order: nothing found, nothing more run
      const before = explorer.runs;
      const stopped = await convertFreeFailure(explorer, recorded, 0, same, 20_000, r.seedHash, 2, () => explorer.runs > before);
      expect(stopped.found).toBeNull();
      expect(stopped.tried).toEqual({ recorded: 1, nearDivergence: 0, pct: 0 });
    } finally {
      await explorer.close();
    }
  });

  it('conversion: an execution that never had a choice (one CPU) is the only one; the search ends after it', async () => {
    const name = 'gup-longterm-never-lru';
    const scenario = builtinScenario(name)!;
    const r = resolveRunOptions({ scenario: name, kernel: '6.14', seed: TEST_SEED }, scenario);
    const explorer = await Explorer.open({ builtin: name }, scenario, r);
    try {
      const recorded = decodeSchedule('0x40', 1);
      const never = (): boolean => false;
      const c = await convertFreeFailure(explorer, recorded, 0, never, 20_000, r.seedHash, 1);
      expect(c.found).toBeNull();
      expect(c.tried).toEqual({ recorded: 1, nearDivergence: 0, pct: 0 });
      expect(explorer.runs).toBe(1);
    } finally {
      await explorer.close();
    }
  });

  it.each([['pct'], ['free']] as const)('%s: the first failure is shrunk to at most the one preemption of the race; the file replays; shrinking is deterministic',
    async (mode) => {
      const out = tempOut();
      const run = await runScenario({ scenario: GUP, kernel: '6.10', mode, seed: TEST_SEED, iterations: 1e9, durationMs: FREE_FIND_MS,
        stopOnFirst: true, out });
      expect(run.firstFailure, nothingFound(run)).not.toBeNull();
      const f = run.firstFailure!;
      expect(f.replayVerified).toBe(true);
      expect(f.shrunk).not.toBeNull();
      expect(f.shrunk!.preemptions).toBeLessThanOrEqual(1);
      expect(f.shrunk!.preemptions).toBeLessThanOrEqual(f.shrunk!.fromPreemptions);
      expect(f.diagram.split('\n')[0]).toMatch(/^\d+ steps?, \d+ preemptions? \(shrunk from \d+ steps?, \d+ preemptions?\)$/);
      // The reference that failed the migration is named: CPU1's activate batch holds it.
      expect(f.diagram).toMatch(/\nat the failed refcount check:\n  f\d+ ref 2 = migration's isolation \+ CPU1 lru_activate batch slot 0$/);
      expect(run.version).toBe(FOLIORACE_VERSION);
      expect(run.fingerprint).toMatch(new RegExp(`^${MODEL_FINGERPRINT}-[0-9a-f]{8}$`));
      const file = JSON.parse(readFileSync(f.file!, 'utf8')) as Record<string, unknown> & { shrunk: { schedule: string } };
      expect(file['version']).toBe(run.version);
      expect(file['fingerprint']).toBe(run.fingerprint);
      expect(file.shrunk.schedule).toBe(f.schedule);
      const replay = await replayFailure(f.file!);
      expect(replay.replay?.reproduced).toBe(true);
      expect(replay.firstFailure?.schedule).toBe(f.schedule);
      expect(replay.modelChanged).toBeUndefined();
      const once = await shrinkFailureFile(f.file!);
      const twice = await shrinkFailureFile(once.file!);
      expect(once.schedule).toBe(f.schedule);
      expect(twice.schedule).toBe(once.schedule);
    });

  it('a file recorded under another model fingerprint says so, replays anyway, and says whether it still reproduces', async () => {
    const out = tempOut();
    const run = await runScenario({ scenario: GUP, kernel: '6.10', mode: 'pct', seed: TEST_SEED, iterations: 5_000, stopOnFirst: true, out });
    const file = JSON.parse(readFileSync(run.firstFailure!.file!, 'utf8')) as Record<string, unknown>;
    const other = join(out, 'other-model.json');
    writeFileSync(other, JSON.stringify({ ...file, fingerprint: '000000000000-00000000' }));
    const r = await replayFailure(other);
    expect(r.modelChanged).toEqual({ recorded: '000000000000-00000000', now: run.fingerprint });
    expect(r.replay?.reproduced).toBe(true);
    const { fingerprint: _f, ...older } = file;
    const old = join(out, 'no-fingerprint.json');
    writeFileSync(old, JSON.stringify(older));
    expect((await replayFailure(old)).modelChanged).toEqual({ recorded: null, now: run.fingerprint });
  });

  it("a schedule tried while shrinking makes the scenario throw: the run ends on that error, its finding kept; so does shrink", async () => {
    // every schedule is forbidden, but CPU1 throws when CPU0 ran whole before it looked; pct seed 9 finds
    // the outcome with CPU0 preempted after one step, and shrinking tries CPU0 whole first
    const s = postsThrow('serial-throw', 'a === 1 && b === 1', 'CPU0 ran first', 'forbidden');
    const out = tempOut();
    const error = await runScenario({ scenario: s.path, mode: 'pct', seed: '9', iterations: 1, out })
      .then(() => null, (e: unknown) => e as Error & { report: RunReport | null });
    expect(error?.name).toBe('ScenarioError');
    const [at, where, replay] = error!.message.split('\n');
    expect(at).toBe(`${s.at}: CPU0 ran first`);
    expect(where).toBe(`  in actor() on CPU1, iteration 0 · kernel ${NEWEST_PROFILE} · mode pct · seed 9`);
    expect(replay).toMatch(/^ {2}replay: npx foliorace replay \S+ \(verified: it throws again\)$/);
    const found = error!.report?.firstFailure;
    expect(found).toMatchObject({ outcome: 'result', schedule: '0x1 1x3 0x2', replayVerified: false,
      replayNote: "a schedule run to reproduce it reached the scenario's own error (below)" });
    expect(found?.file).not.toBeNull();
    const shrunk = await shrinkFailureFile(found!.file!).then(() => null, (e: unknown) => e as Error);
    expect(shrunk?.name).toBe('ScenarioError');
    expect(shrunk?.message.split('\n').slice(0, 2)).toEqual([at, where]);
  });
});
