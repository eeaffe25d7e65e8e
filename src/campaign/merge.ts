// Merging shard results: check that they are the shards of one campaign, all of them once, then
// sum each cell's histograms over its seeds and keep one failure per distinct finding.
import { findings, type OutcomeRow } from '../report/report.js';
import { UsageError } from '../errors.js';
import { MERGED_FORMAT, type CellResult, type FailureEntry, type MergedResult, type ShardResult, type UnitResult, type Verified } from './result.js';
import type { Cell } from './plan.js';
import { verdictOf } from './verdict.js';

export interface MergeOptions {
  /** Merge even when shards or units are missing (they are listed in the result). */
  partial?: boolean;
}

/** Refuses foreign campaigns, mixed shard counts, duplicated and (unless partial) missing shards. */
export function mergeShards(inputs: readonly { path: string; result: ShardResult }[], o: MergeOptions = {}): MergedResult {
  const first = inputs[0];
  if (!first) throw new UsageError('merge needs at least one shard result');
  const c = first.result.campaign;
  for (const { path, result } of inputs) {
    if (result.campaign.hash !== c.hash) {
      throw new UsageError(`${path} is from another campaign ("${result.campaign.name}", hash ${result.campaign.hash}) ` +
        `than ${first.path} ("${c.name}", hash ${c.hash}); merge refuses to mix them`);
    }
    if (result.shard.count !== first.result.shard.count) {
      throw new UsageError(`${path} is shard ${result.shard.index}/${result.shard.count} but ${first.path} is ` +
        `${first.result.shard.index}/${first.result.shard.count}: the campaign was split two ways; merge the shards of one split`);
    }
  }
  const count = first.result.shard.count;
  const byIndex = new Map<number, string>();
  for (const { path, result } of inputs) {
    const seen = byIndex.get(result.shard.index);
    if (seen !== undefined) throw new UsageError(`shard ${result.shard.index}/${count} is given twice: ${seen} and ${path}; keep one`);
    byIndex.set(result.shard.index, path);
  }
  const warnings: string[] = [];
  const missingShards = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  const incomplete = inputs.filter((x) => !x.result.complete).map((x) => `${x.result.shard.index}/${count} (${x.path}: stopped early)`);
  const units = new Map<number, UnitResult>();
  for (const { result } of inputs) for (const u of result.units) units.set(u.unit, u);
  const missingUnits = Array.from({ length: c.units }, (_, i) => i).filter((i) => !units.has(i));
  if (missingShards.length > 0 || incomplete.length > 0) {
    const what = [...(missingShards.length > 0 ? [`missing shard${missingShards.length > 1 ? 's' : ''} ${missingShards.map((i) => `${i}/${count}`).join(', ')}`] : []),
      ...(incomplete.length > 0 ? [`incomplete shard${incomplete.length > 1 ? 's' : ''} ${incomplete.join(', ')}`] : [])].join('; ');
    if (!o.partial) throw new UsageError(`${what}: ${missingUnits.length} of ${c.units} units have no result (--partial merges what is there)`);
    warnings.push(`${what}: ${missingUnits.length} of ${c.units} units have no result`);
  }
  const versions = new Set(inputs.map((x) => JSON.stringify(x.result.foliorace)));
  if (versions.size > 1) {
    warnings.push(`the shards ran different foliorace builds: ${inputs.map((x) => `${x.result.shard.index}/${count} ${Object.values(x.result.foliorace).join(' ')}`).join(', ')}`);
  }
  const done = [...units.values()].sort((a, b) => a.unit - b.unit);
  const { cells: _cells, ...campaign } = c;
  const seedCount = c.units / c.cells.reduce((a, cell) => a + (cell.parts ?? 1), 0);
  return {
    format: MERGED_FORMAT, campaign,
    shards: inputs.map(({ path, result: r }) => ({ index: r.shard.index, count, host: r.host, elapsedMs: r.elapsedMs,
      units: r.units.length, foliorace: r.foliorace, from: path })).sort((a, b) => a.index - b.index),
    warnings, missingUnits,
    cells: c.cells.map((cell) => {
      const mine = done.filter((u) => u.cell === cell.key);
      const sums = { iterationsRun: 0, elapsedMs: 0, forbidden: 0, violations: 0, deadlocks: 0, livelocks: 0, unknown: 0 };
      for (const u of mine) {
        sums.iterationsRun += u.iterations; sums.elapsedMs += u.elapsedMs; sums.forbidden += u.forbidden;
        sums.violations += u.violations; sums.deadlocks += u.deadlocks; sums.livelocks += u.livelocks ?? 0; sums.unknown += u.unknown;
      }
      const found = findings(sums) > 0;
      const verify = cell.mode === 'verify' ? verified(cell, mine, seedCount, warnings) : null;
      return { ...cell, seeds: [...new Set(mine.map((u) => u.seed))], ...sums, elapsedMs: Math.round(sums.elapsedMs), outcomes: sumOutcomes(mine), found,
        ...(verify ? { verify } : {}), agrees: verdictOf(cell.expected, found).agrees } satisfies CellResult;
    }),
    failures: distinctFailures(done),
  };
}

/**
 * A verify cell over its seeds: classes added up; complete when every seed's search was, which for a
 * cell in parts means every part ran to the end and the parts' subtrees make up the seed's whole top.
 */
function verified(cell: Cell, mine: readonly UnitResult[], seedCount: number, warnings: string[]): Verified {
  const classes = mine.reduce((a, u) => a + (u.verify?.classes ?? 0), 0);
  const allRan = mine.length === seedCount * (cell.parts ?? 1) && mine.every((u) => u.verify?.complete === true);
  if (cell.parts === undefined) return { classes, complete: allRan };
  let subtrees = 0, explored = 0, agree = true;
  for (const seed of new Set(mine.map((u) => u.seed))) {
    const parts = mine.filter((u) => u.seed === seed && u.verify?.part !== undefined);
    const tops = new Set(parts.map((u) => u.verify!.part!.subtrees));
    if (tops.size > 1) {
      agree = false;
      warnings.push(`${cell.key}, seed ${seed}: its parts walked different tops (${[...tops].join(', ')} subtrees): ` +
        'they ran different builds or scenario files, so they do not add up to one tree');
    }
    subtrees += Math.max(0, ...tops);
    explored += parts.filter((u) => u.verify!.complete).reduce((a, u) => a + u.verify!.part!.own, 0);
  }
  return { classes, complete: allRan && agree && explored === subtrees, parts: { count: cell.parts, subtrees, explored } };
}

function sumOutcomes(units: readonly UnitResult[]): OutcomeRow[] {
  const rows = new Map<string, OutcomeRow>();
  for (const u of units) {
    for (const o of u.outcomes) {
      const row = rows.get(o.name);
      if (row) row.count += o.count;
      else rows.set(o.name, { ...o });
    }
  }
  return [...rows.values()];
}

function distinctFailures(units: readonly UnitResult[]): FailureEntry[] {
  const seen = new Set<string>();
  const out: FailureEntry[] = [];
  for (const u of units) {
    const f = u.failure;
    if (!f) continue;
    const key = JSON.stringify([f.cell, f.kind, f.outcome, f.schedule]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
  }
  return out;
}
