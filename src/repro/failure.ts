// Failure files: everything `replay` needs to reproduce one failing iteration, as JSON.
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { memoryField, type PatchIdentity, type RunIdentity } from '../report/report.js';
import type { FindingKind } from '../cpu/finding-kind.js';
import type { ShrinkSize } from '../sched/shrink.js';
import { encodeSchedule } from '../sched/schedule.js';
import type { ScenarioRef } from '../cpu/protocol.js';
import { recordedPatches, type ResolvedRun, type RunOptions } from '../host/options.js';
import { FOLIORACE_VERSION, profileFingerprint } from '../version.js';
import { parseFailureFile, readFailureText } from './failure-validate.js';

/** Where a run writes its failure files unless told (--out). */
export const DEFAULT_OUT = 'foliorace-failures';

/**
 * `scenario`: a built-in name, or the absolute path of the scenario module. `mode`: the mode that
 * found it (the file always replays under the replay strategy).
 */
export interface FailureFile extends RunIdentity {
  foliorace: 1;
  iteration: number;
  /** CPU passing each preemption point, run-length encoded (sched/schedule.ts). */
  schedule: string;
  /** What the iteration produced: the replay must produce the same. */
  kind: FindingKind;
  /** The finding's name; for `error`, the user's `file:line:col: message`. */
  outcome: string;
  /** foliorace version and model fingerprint it was recorded with (absent in files before 0.1.0). */
  version?: string;
  fingerprint?: string;
  /** `schedule` is known to replay exactly (false: a free-mode order that could not be converted). */
  exact?: boolean;
  /** Free mode: the search for an exact schedule; `recordedOrder` is the ticket order it started from. */
  converted?: { converted: boolean; phase: string | null; runs: number; recordedOrder: string };
  /**
   * The shrunk schedule (replay follows it unless told --original) and its size before and after.
   * No timings: the same run twice writes the same file.
   */
  shrunk?: { schedule: string } & ShrinkSize;
  /** The same failure as a replay string (repro/replay-string.ts). */
  replayString?: string;
}

/** A failure file of run `r`: what ran (scenario, profile, options, this foliorace), and where and what it found. */
export function failureFile(ref: ScenarioRef, r: ResolvedRun, iteration: number, schedule: readonly number[],
  kind: FailureFile['kind'], outcome: string): FailureFile {
  return {
    foliorace: 1, scenario: 'builtin' in ref ? ref.builtin : ref.path, kernel: r.profile.name,
    patches: recordedPatches(r), ...patchIdentity(r), mode: r.mode, ...memoryField(r.memory), seed: r.seed, cpus: r.cpus, iteration,
    schedule: encodeSchedule(schedule), kind, outcome,
    version: FOLIORACE_VERSION, fingerprint: fingerprintOf(r),
  };
}

/** Run `r`'s patch file as reports and failure files record it (nothing without one). */
export function patchIdentity(r: ResolvedRun): { patchFile?: PatchIdentity } {
  return r.patch ? { patchFile: { name: r.patch.name, path: r.patch.path, hash: r.patch.hash } } : {};
}

/** The model fingerprint under run `r`'s profile and patch file. */
export function fingerprintOf(r: ResolvedRun): string {
  return profileFingerprint(r.profile.patches, r.patch?.hash ?? null);
}

/**
 * Writes `f` into `dir` under a name that says what it is; never overwrites (link fails on EEXIST), so parallel
 * runs cannot clobber each other. A file that already holds exactly this failure is reused (the
 * same run twice names the same file). Returns the path, or null if the directory is not writable.
 */
export function writeFailureFile(dir: string, f: FailureFile): string | null {
  const scenario = f.scenario.replace(/^.*[\\/]/, '').replace(/\.(m?js|ts)$/, '');
  const kernel = f.patchFile ? `${f.kernel}+${f.patchFile.name}` : f.kernel;
  const base = `${scenario}-${kernel}-${f.mode}-${f.seed}-${f.iteration}`.replace(/[^A-Za-z0-9._+-]/g, '_');
  try {
    mkdirSync(dir, { recursive: true });
  } catch {
    return null;
  }
  const text = JSON.stringify(f, null, 2) + '\n';
  // Written whole to a private name first, then linked to its real name (which fails rather than
  // replace a file): a file under its real name is never half written.
  const tmp = join(dir, `.${base}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text, { flag: 'w' });
  } catch {
    return null;
  }
  try {
    for (let n = 1; n < 1000; n++) {
      const path = join(dir, n === 1 ? `${base}.json` : `${base}.${n}.json`);
      try {
        linkSync(tmp, path);
        return path;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return null;
        if (sameText(path, text)) return path;
      }
    }
    return null;
  } finally {
    rmSync(tmp, { force: true });
  }
}

function sameText(path: string, text: string): boolean {
  try {
    return readFileSync(path, 'utf8') === text;
  } catch {
    return false;
  }
}

/** The options of the run a failure file records, to run it again (replay, shrink). */
export function runOptionsOf(f: FailureFile): RunOptions {
  return { scenario: f.scenario, kernel: f.kernel, patches: f.patches, cpus: f.cpus, seed: f.seed, ...(f.memory ? { memory: f.memory } : {}) };
}

/** Reads and validates a failure file; anything wrong with it is a UsageError naming the field. */
export function readFailureFile(path: string): FailureFile {
  return parseFailureFile(readFailureText(path), path);
}
