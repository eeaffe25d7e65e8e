// A campaign file resolved into its work: cells (scenario × profile × mode) and units (cell × seed),
// with the hash that names exactly this work. Shards of one campaign must agree on the hash, so it
// covers everything that changes what a unit computes (scenario files by content, not by where
// they lie), and nothing that does not (the description, where the file is).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PROFILES, ProfileError, resolveProfile } from '../kernel/profile.js';
import { cpuRange, type Expectation, type Scenario } from '../scenario/define.js';
import { BUILTIN_SCENARIOS, builtinScenario } from '../scenarios/index.js';
import { UsageError } from '../errors.js';
import { loadPatch, loadScenario, scenarioRef } from '../load/load.js';
import { loadProbe } from '../load/probe.js';
import type { CampaignSpec, ExitPolicy, ModeSpec, ProfileSpec } from './file.js';

/** One scenario under one profile (with patch overrides) in one mode: a row of the verdict table. */
export interface Cell {
  /** Identifies the cell in every shard's results. */
  key: string;
  /** As the campaign names it: a built-in name, or a path relative to the campaign file. */
  scenario: string;
  /** The scenario's own name. */
  name: string;
  kernel: string;
  /** Patch overrides on top of the profile (empty: the profile as it is). */
  patches: Record<string, boolean>;
  /** A patch file on top, as the campaign names it (relative to the campaign file), and its name; null: none. */
  patchFile: string | null;
  patchName: string | null;
  mode: ModeSpec['mode'];
  /** verify only: a preemption bound (absent: none; absent in every other mode, so their results read as before). */
  preemptions?: number;
  /** verify only: each seed's tree in this many parts, one unit each (absent: one). */
  parts?: number;
  /** verify in parts: the top's depth (absent: the default for the number of parts). */
  partDepth?: number;
  /** --memory tso (absent: sc; sc cells, their keys and the plan's hash read as before). */
  memory?: 'tso';
  /** Per seed. */
  iterations: number;
  durationMs: number;
  jitter: number;
  cpus: number;
  /** What the scenario expects under this profile; null: no expectation (patch overrides, or not stated). */
  expected: Expectation | null;
}

/** A cell's mode as reports name it: "verify K=2", "pct tso", "verify K=1 tso", "verify parts=4". */
export function modeLabel(c: Pick<Cell, 'mode' | 'preemptions' | 'memory' | 'parts' | 'partDepth'>): string {
  return `${c.mode}${c.preemptions === undefined ? '' : ` K=${c.preemptions}`}${c.memory === undefined ? '' : ` ${c.memory}`}` +
    `${c.parts === undefined ? '' : ` parts=${c.parts}`}${c.partDepth === undefined ? '' : ` depth=${c.partDepth}`}`;
}

/** One cell under one seed: the unit of work a shard runs. */
export interface Unit {
  id: number;
  cell: number;
  seed: string;
  /** A verify cell in parts: which part of the seed's tree (1-based). */
  part?: number;
  /** Expected cost in milliseconds on a 2-core machine: only for balancing shards. */
  cost: number;
}

/** What reports say about a scenario beyond its cells. */
export interface ScenarioInfo { summary: string; before: string; after: string; claims: Record<string, string> }

export interface CampaignPlan {
  name: string;
  description: string;
  /** 16 hex digits of SHA-256 over the work (see the file header). */
  hash: string;
  exit: ExitPolicy;
  stopOnFirst: boolean;
  cells: Cell[];
  units: Unit[];
  /** By scenario name. */
  scenarios: Record<string, ScenarioInfo>;
  /** What to pass to the runner for each cell's `scenario`: a built-in name or an absolute path. */
  runnable: Record<string, string>;
  /** The absolute path of each cell's `patchFile`. */
  patchPaths: Record<string, string>;
}

// Cost model (ms), from `foliorace run S --mode pct --seed 1 --iterations 20000 --json` on the
// 2-core development machine: about 30 µs per iteration per CPU, and per unit about 30 ms besides
// (a shard's units run on warm workers, host/pool.ts: 26 units of 200 iterations took 2.1 s, of
// which 1.4 s iterating).
const STARTUP_MS = 30;
const MS_PER_ITERATION_PER_CPU = 0.03;

/** Resolves the campaign: loads its scenarios, expands the profile keywords, numbers the units. */
export async function planCampaign(spec: CampaignSpec, campaignFile: string): Promise<CampaignPlan> {
  const base = dirname(resolve(campaignFile));
  const written = spec.scenarios === 'builtin' ? BUILTIN_SCENARIOS.map((s) => s.name) : spec.scenarios;
  const cells: Cell[] = [];
  const scenarios: Record<string, ScenarioInfo> = {};
  const runnable: Record<string, string> = {};
  const fileHashes: Record<string, string> = {};
  const patchPaths: Record<string, string> = {};
  const patchNames: Record<string, string> = {};
  for (const p of spec.profiles) { // each patch file once: loaded (a bad one is an error before any run), hashed
    if (p.patchFile === null || Object.hasOwn(patchPaths, p.patchFile)) continue;
    const patch = await loadPatch(resolve(base, p.patchFile), { probe: loadProbe({}) });
    patchPaths[p.patchFile] = patch.path;
    patchNames[p.patchFile] = patch.name;
    fileHashes[`patch:${p.patchFile}`] = patch.hash;
  }
  for (const w of written) {
    const target = builtinScenario(w) ? w : resolve(base, w);
    const s = await loadScenario(scenarioRef(target), { probe: loadProbe({}) });
    runnable[w] = target;
    if (target !== w) fileHashes[w] = sha256(readFileSync(target));
    scenarios[s.name] = { summary: s.summary, before: s.before, after: s.after, claims: { ...(s.claims ?? {}) } };
    const seen = new Set<string>();
    for (const p of spec.profiles.flatMap((x) => profilesOf(x, s))) {
      const label = profileLabel({ ...p, patchName: p.patchFile === null ? null : patchNames[p.patchFile]! });
      if (seen.has(label)) continue;
      seen.add(label);
      checkProfile(p);
      for (const m of spec.modes) {
        cells.push({
          key: `${w} · ${label} · ${modeLabel(m)}`, scenario: w, name: s.name,
          kernel: p.kernel, patches: p.patches, patchFile: p.patchFile, patchName: p.patchFile === null ? null : patchNames[p.patchFile]!,
          mode: m.mode, ...(m.preemptions === undefined ? {} : { preemptions: m.preemptions }), ...(m.memory === undefined ? {} : { memory: m.memory }),
          ...(m.parts === undefined ? {} : { parts: m.parts }), ...(m.partDepth === undefined ? {} : { partDepth: m.partDepth }),
          iterations: m.iterations, durationMs: m.durationMs, jitter: m.jitter, cpus: cpuRange(s).default,
          // a scenario states what it expects under sc: a tso cell carries no expectation
          expected: m.memory === undefined ? expectationOf(s, p) : null,
        });
      }
    }
  }
  const units = cells.flatMap((c, cell) => spec.seeds.flatMap((seed) => c.parts === undefined ? [{ cell, seed, cost: unitCost(c) }]
    : Array.from({ length: c.parts }, (_, i) => ({ cell, seed, part: i + 1, cost: unitCost(c) }))))
    .map((u, id) => ({ id, ...u }));
  const hash = sha256(JSON.stringify({
    format: 1, name: spec.name, exit: spec.exit, stopOnFirst: spec.stopOnFirst, seeds: spec.seeds, files: fileHashes,
    cells: cells.map((c) => [c.key, c.name, c.kernel, c.patches, c.patchFile, c.mode, c.iterations, c.durationMs, c.jitter, c.cpus,
      ...(c.preemptions === undefined ? [] : [c.preemptions]), ...(c.memory === undefined ? [] : [c.memory]),
      ...(c.parts === undefined ? [] : [{ parts: c.parts, depth: c.partDepth }])]),
  })).slice(0, 16);
  return {
    name: spec.name, description: spec.description, hash, exit: spec.exit, stopOnFirst: spec.stopOnFirst, cells, units, scenarios,
    runnable, patchPaths,
  };
}

/** "6.10", "6.10+lru-clear-at-enqueue=on" with overrides, "6.10+NAME" with patch file NAME (after the overrides). */
export function profileLabel(p: { kernel: string; patches: Record<string, boolean>; patchName?: string | null }): string {
  return [p.kernel, ...Object.entries(p.patches).sort(([a], [b]) => (a < b ? -1 : 1)).map(([n, on]) => `${n}=${on ? 'on' : 'off'}`),
    ...(p.patchName ? [p.patchName] : [])].join('+');
}

function profilesOf(p: ProfileSpec, s: Scenario): ProfileSpec[] {
  const at = (kernel: string): ProfileSpec => ({ kernel, patches: p.patches, patchFile: p.patchFile });
  switch (p.kernel) {
    case 'before': return [at(s.before)];
    case 'after': return [at(s.after)];
    case 'expects-bug': return Object.entries(s.expect).filter(([, e]) => e !== 'never').map(([k]) => at(k));
    case 'all': return PROFILES.map((x) => at(x.name));
    default: return [p];
  }
}

function checkProfile(p: ProfileSpec): void {
  try {
    resolveProfile(p.kernel, p.patches);
  } catch (e) {
    if (e instanceof ProfileError) throw new UsageError(`campaign profiles: ${e.message}`);
    throw e;
  }
}

/** The scenario's own expectation; its before and after profiles default to found and never. */
function expectationOf(s: Scenario, p: ProfileSpec): Expectation | null {
  if (Object.keys(p.patches).length > 0 || p.patchFile !== null) return null;
  return s.expect[p.kernel] ?? (p.kernel === s.before ? 'found' : p.kernel === s.after ? 'never' : null);
}

function unitCost(c: Cell): number {
  const byIterations = c.iterations * c.cpus * MS_PER_ITERATION_PER_CPU;
  return Math.round(STARTUP_MS + (c.durationMs > 0 ? Math.min(c.durationMs, byIterations) : byIterations));
}

function sha256(x: string | Buffer): string {
  return createHash('sha256').update(x).digest('hex');
}
