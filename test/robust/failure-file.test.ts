// Hostile failure files, validated in-process against the validator the CLI uses: every field
// replaced by every hostile value or removed, every truncation of a real file, generated schedules,
// and files that are not regular files. Each case either passes validation with the field within its
// documented range, or is one UsageError line naming the field; never another error, never a hang.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveProfile } from '../../dist/src/kernel/profile.js';
import { UsageError } from '../../dist/src/errors.js';
import { checkAgainstScenario, MAX_FAILURE_FILE_BYTES, MAX_ITERATION, parseFailureFile, readFailureText, scheduleOf } from '../../dist/src/repro/failure-validate.js';
import { resolveRunOptions } from '../../dist/src/host/options.js';
import { builtinScenario } from '../../dist/src/scenarios/index.js';
import { generator, HOSTILE_VALUES, hostileSchedule } from './hostile.js';

const scenario = builtinScenario('gup-longterm-vs-activate')!;
const config = resolveRunOptions({ scenario: scenario.name, kernel: '6.10', seed: '1' }, scenario).config;
const VALID = {
  foliorace: 1, scenario: scenario.name, kernel: '6.10', patches: { ...resolveProfile('6.10').patches }, mode: 'pct', seed: '1',
  cpus: 2, iteration: 0, schedule: '1x4 0x2 1x9 0x59', kind: 'forbidden', outcome: 'pin-failed-batch-ref',
};

/** The documented range of each field (docs/cli.md), checked independently of the validator. */
const IN_RANGE: Record<string, (v: unknown) => boolean> = {
  foliorace: (v) => v === 1,
  scenario: (v) => typeof v === 'string' && v.length > 0 && v.length <= 4096 && !v.includes('\0'),
  kernel: (v) => typeof v === 'string' && v.length > 0 && v.length <= 64,
  patches: (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'boolean'),
  mode: (v) => v === 'free' || v === 'pct' || v === 'random',
  seed: (v) => typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v),
  cpus: (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 31,
  iteration: (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_ITERATION,
  schedule: (v) => typeof v === 'string',
  kind: (v) => v === 'forbidden' || v === 'violation' || v === 'deadlock',
  outcome: (v) => typeof v === 'string' && v.length > 0 && v.length <= 1024,
};

function expectOneLineError(f: () => unknown, names: string | RegExp): void {
  let err: unknown = null;
  try { f(); } catch (e) { err = e; }
  expect(err).toBeInstanceOf(UsageError);
  const msg = (err as Error).message;
  expect(msg).not.toMatch(/\n/);
  expect(msg.length).toBeLessThan(400);
  expect(msg).toMatch(names);
}

describe('failure files: every field, every hostile value', () => {
  const cases = Object.keys(IN_RANGE).flatMap((field) => [...HOSTILE_VALUES.map((v) => [field, v] as const), [field, undefined] as const]);
  it(`${cases.length} one-field mutations: valid and in range, or one line naming the field`, () => {
    for (const [field, value] of cases) {
      const f: Record<string, unknown> = { ...VALID };
      if (value === undefined) delete f[field]; else f[field] = value;
      let parsed: unknown = null;
      try {
        parsed = parseFailureFile(JSON.stringify(f), 'f.json');
      } catch (e) {
        expect(e, `${field} = ${JSON.stringify(value)}`).toBeInstanceOf(UsageError);
        expect((e as Error).message, `${field} = ${JSON.stringify(value)}`).toMatch(new RegExp(`"${field}(\\.[^"]*)?"|not valid JSON`));
        expect((e as Error).message).not.toMatch(/\n/);
        continue;
      }
      expect(IN_RANGE[field]!((parsed as Record<string, unknown>)[field]), `${field} = ${JSON.stringify(value)} was accepted`).toBe(true);
    }
  });

  it('fields this version does not know are kept and ignored (later versions add some)', () => {
    const f = parseFailureFile(JSON.stringify({ ...VALID, version: '9.9.9', fingerprint: 'abc', futureField: { anything: [1] } }), 'f.json');
    expect(f).toMatchObject(VALID);
  });

  it('a shrunk schedule, when there is one, is checked like the original', () => {
    const shrunk = { schedule: '0x1', steps: 1, preemptions: 0, fromSteps: 3, fromPreemptions: 1 };
    expect(parseFailureFile(JSON.stringify({ ...VALID, shrunk }), 'f.json')).toMatchObject({ shrunk });
    expectOneLineError(() => parseFailureFile(JSON.stringify({ ...VALID, shrunk: { ...shrunk, schedule: 7 } }), 'f.json'), /"shrunk\.schedule"/);
    expectOneLineError(() => parseFailureFile(JSON.stringify({ ...VALID, shrunk: { ...shrunk, steps: -1 } }), 'f.json'), /"shrunk\.steps"/);
  });

  it('a patch named after a prototype key is not a valid value, and an own key only is read', () => {
    expectOneLineError(() => parseFailureFile(JSON.stringify({ ...VALID, patches: { 'gup-always-drain': 'yes' } }), 'f.json'), /"patches\.gup-always-drain"/);
    const proto = parseFailureFile('{"foliorace":1,"__proto__":{"kernel":"6.10"},' + JSON.stringify(VALID).slice(1), 'f.json');
    expect(proto.kernel).toBe('6.10');
  });
});

describe('failure files: broken text', () => {
  const text = JSON.stringify(VALID, null, 2);
  it(`every one of the ${text.length} truncations of a real file is one line of error`, () => {
    for (let n = 0; n < text.length; n++) expectOneLineError(() => parseFailureFile(text.slice(0, n), 'f.json'), /f\.json/);
  });

  const others = ['[]', '1', '"x"', 'null', 'true', '{}', '[' + text + ']', '\uFEFF' + text, text.replace(/"/g, "'"), '{"foliorace":1,"foliorace":2}'];
  it(`${others.length} texts that are JSON but not a failure file (or not JSON) are one line of error`, () => {
    for (const t of others) expectOneLineError(() => parseFailureFile(t, 'f.json'), /f\.json/);
  });
});

describe('failure files: schedules against the scenario\'s step limit', () => {
  const file = parseFailureFile(JSON.stringify(VALID), 'f.json');
  const next = generator('schedules', 1);
  const schedules = Array.from({ length: 400 }, () => hostileSchedule(next));
  it(`${schedules.length} generated schedules: decoded within ${config.scheduleCapacity} steps of known CPUs, or one line naming "schedule"`, () => {
    let accepted = 0;
    for (const s of schedules) {
      let steps: number[] | null = null;
      try {
        steps = scheduleOf({ ...file, schedule: s }, 'f.json', config);
      } catch (e) {
        expect(e, s).toBeInstanceOf(UsageError);
        expect((e as Error).message).toMatch(/"schedule"/);
        expect((e as Error).message).not.toMatch(/\n/);
        continue;
      }
      accepted++;
      expect(steps.length).toBeLessThanOrEqual(config.scheduleCapacity);
      expect(steps.every((c) => c === 0 || c === 1)).toBe(true);
    }
    expect(accepted).toBeGreaterThan(0); // the generator also makes valid schedules
    expect(accepted).toBeLessThan(schedules.length);
  });

  it('"0x99999999999" and "0x30000" are refused before anything is expanded', () => {
    expectOneLineError(() => scheduleOf({ ...file, schedule: '0x99999999999' }, 'f.json', config), /more than 20,000 steps/);
    expectOneLineError(() => scheduleOf({ ...file, schedule: '0x30000' }, 'f.json', config), /scheduleCapacity/);
    expect(scheduleOf({ ...file, schedule: `0x${config.scheduleCapacity}` }, 'f.json', config)).toHaveLength(config.scheduleCapacity);
  });
});

describe('failure files: outcomes and CPUs against the scenario', () => {
  const file = parseFailureFile(JSON.stringify(VALID), 'f.json');
  it('a forbidden outcome the scenario declares passes; any other name is one line listing the forbidden ones', () => {
    for (const [name, kind] of Object.entries(scenario.outcomes)) {
      const f = { ...file, outcome: name };
      if (kind === 'forbidden') checkAgainstScenario(f, 'f.json', scenario);
      else expectOneLineError(() => checkAgainstScenario(f, 'f.json', scenario), /its forbidden outcomes: pin-failed-batch-ref, pinned-unpinnable/);
    }
    for (const name of ['nope', 'constructor', '__proto__', 'PIN-FAILED-BATCH-REF']) {
      expectOneLineError(() => checkAgainstScenario({ ...file, outcome: name }, 'f.json', scenario), /is not a forbidden outcome/);
    }
  });

  it('a CPU count the scenario does not run on is one line', () => {
    for (const cpus of [1, 3, 31]) expectOneLineError(() => checkAgainstScenario({ ...file, cpus }, 'f.json', scenario), /runs on exactly 2 CPUs/);
  });
});

describe('failure files that are not regular files of a sane size', () => {
  const dir = mkdtempSync(join(tmpdir(), 'foliorace-robust-'));
  const fifo = join(dir, 'fifo.json');
  execFileSync('mkfifo', [fifo]);
  const big = join(dir, 'big.json');
  writeFileSync(big, '');
  truncateSync(big, MAX_FAILURE_FILE_BYTES + 1);
  const cases: [string, string, RegExp][] = [
    ['a directory', dir, /it is a directory|not a regular file/],
    ['a FIFO (would block for ever)', fifo, /not a regular file/],
    ['/dev/zero (never ends)', '/dev/zero', /not a regular file/],
    ['a file above the size limit (sparse)', big, /more than 16,777,216/],
    ['a missing file', join(dir, 'missing.json'), /no such file/],
  ];
  for (const [what, path, msg] of cases) it(`${what}: one line, nothing read`, () => expectOneLineError(() => readFailureText(path), msg));
});
