// Result directories: what a shard writes and what merge writes, self-describing (which campaign,
// which shard, which foliorace), so that merge needs nothing but the directories. Fields may be
// added, never renamed (docs/campaigns.md).
import type { ReportedFindingKind } from '../cpu/finding-kind.js';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OutcomeRow } from '../report/report.js';
import { UsageError } from '../errors.js';
import { unknownFormatLine } from '../report/format-refusal.js';
import type { ExitPolicy } from './file.js';
import type { Cell, ScenarioInfo } from './plan.js';

export const SHARD_FORMAT = 'foliorace-campaign-shard/1';
export const MERGED_FORMAT = 'foliorace-campaign-merged/1';
export const MERGED_FILE = 'merged.json';

/** The first failure of one unit. Paths are relative to the result directory. */
export interface FailureEntry {
  cell: string;
  seed: string;
  /** The part of the seed's tree it was found in (verify cells in parts). */
  part?: number;
  iteration: number;
  kind: ReportedFindingKind;
  outcome: string;
  schedule: string;
  diagram: string;
  truncated: boolean;
  replayVerified: boolean;
  file: string | null;
  trace: string | null;
}

/** What iterations found, as a run's report counts it (summed over seeds for a cell). */
export interface Tallies {
  outcomes: OutcomeRow[];
  forbidden: number;
  violations: number;
  deadlocks: number;
  /** Iterations that ended in a livelock (absent from shard files of foliorace 0.1: read as 0). */
  livelocks: number;
  /** Iterations whose check() returned an outcome the scenario does not declare. */
  unknown: number;
}

/** A verify unit's or cell's search: classes explored, and whether every one was (verify mode only). */
export interface Verified {
  classes: number;
  /** A cell in parts: every part of every seed ran to completion and together they covered the whole tree. */
  complete: boolean;
  /** A cell in parts: the subtrees of every seed's top, and those its complete parts explored (equal: the whole tree). */
  parts?: { count: number; subtrees: number; explored: number };
}

/** A verify unit that explored one part of its seed's tree: the top's subtrees, and those it explored. */
export interface PartExplored {
  subtrees: number;
  own: number;
}

export interface UnitResult extends Tallies {
  verify?: { classes: number; complete: boolean; part?: PartExplored };
  unit: number;
  cell: string;
  seed: string;
  /** Which part of the seed's tree (verify cells in parts). */
  part?: number;
  iterations: number;
  elapsedMs: number;
  watchdog: string[] | null;
  failure: FailureEntry | null;
}

/** Who computed a result: compared across shards (differences are warned about). */
export interface Producer {
  version: string;
}

export interface CampaignHeader {
  name: string;
  description: string;
  hash: string;
  exit: ExitPolicy;
  /** Units in the whole campaign. */
  units: number;
  cells: Cell[];
  scenarios: Record<string, ScenarioInfo>;
}

export interface ShardResult {
  format: typeof SHARD_FORMAT;
  campaign: CampaignHeader;
  shard: { index: number; count: number; source: string };
  foliorace: Producer;
  host: string;
  startedAt: string;
  elapsedMs: number;
  /** The unit ids this shard was given. */
  assigned: number[];
  /** False when the shard was stopped before running every assigned unit. */
  complete: boolean;
  units: UnitResult[];
}

/** A cell's results summed over its seeds, and its verdict. */
export interface CellResult extends Cell, Tallies {
  /** The seeds that ran (all of the campaign's, unless merged --partial). */
  seeds: string[];
  iterationsRun: number;
  elapsedMs: number;
  found: boolean;
  /** verify cells: classes over every seed, and whether every seed's search was complete. */
  verify?: Verified;
  /** The result is what the scenario expects (always true without an expectation). */
  agrees: boolean;
}

export interface ShardSummary {
  index: number;
  count: number;
  host: string;
  elapsedMs: number;
  units: number;
  foliorace: Producer;
  from: string;
}

export interface MergedResult {
  format: typeof MERGED_FORMAT;
  campaign: Omit<CampaignHeader, 'cells'>;
  shards: ShardSummary[];
  warnings: string[];
  /** Unit ids no shard delivered (only with --partial). */
  missingUnits: number[];
  cells: CellResult[];
  /** One per distinct cell, finding and schedule. */
  failures: FailureEntry[];
}

/** "shard-2-of-4.json". */
export function shardFileName(index: number, count: number): string {
  return `shard-${index}-of-${count}.json`;
}

/** Writes JSON whole or not at all (a reader never sees half a file). */
export function writeJson(dir: string, name: string, value: unknown): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
  return path;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not valid JSON'}`);
  }
}

/** The shard results in `dir` (or the file `dir` itself), each with where it was read. */
export function readShardResults(dir: string): { path: string; result: ShardResult }[] {
  let paths: string[];
  try {
    paths = statSync(dir).isDirectory()
      ? readdirSync(dir).filter((f) => /^shard-\d+-of-\d+\.json$/.test(f)).sort().map((f) => join(dir, f))
      : [dir];
  } catch {
    throw new UsageError(`no such result directory: ${dir}`);
  }
  if (paths.length === 0) throw new UsageError(`${dir} holds no shard results (shard-I-of-N.json): is it the --out of foliorace campaign?`);
  return paths.map((path) => {
    const r = readJson(path) as Partial<ShardResult> | null;
    if (r?.format !== SHARD_FORMAT) {
      throw new UsageError(unknownFormatLine(path, 'campaign shard result', 'format', r?.format, SHARD_FORMAT) ??
        `${path} is not a foliorace campaign shard result (format ${JSON.stringify(r?.format)})`);
    }
    return { path, result: r as ShardResult };
  });
}

/** A merged result: `dir`/merged.json. */
export function readMergedResult(dir: string): MergedResult {
  const path = join(dir, MERGED_FILE);
  const r = readJson(path) as Partial<MergedResult> | null;
  if (r?.format !== MERGED_FORMAT) {
    throw new UsageError(unknownFormatLine(path, 'merged campaign result', 'format', r?.format, MERGED_FORMAT) ??
      `${path} is not a merged foliorace campaign result (format ${JSON.stringify(r?.format)})`);
  }
  return r as MergedResult;
}
