// The campaign file: JSON that docs/campaign.schema.json describes (editors validate and complete
// it from its "$schema"). Read and checked once here; every message names the field, echoes the value and
// says what would be right. Everything after this works on a CampaignSpec, never on raw JSON.
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { kernelWithPatch, MODULE_PATH, parseDuration } from '../host/options.js';

/** Profile keywords: resolved per scenario (see plan.ts). */
export const PROFILE_KEYWORDS = ['before', 'after', 'expects-bug', 'all'] as const;
export type ProfileKeyword = (typeof PROFILE_KEYWORDS)[number];

export interface ProfileSpec {
  /** A profile name or a keyword. */
  kernel: string;
  patches: Record<string, boolean>;
  /** A patch file on top (docs/patches.md), as the campaign file names it: relative to it; null: none. */
  patchFile: string | null;
}

export interface ModeSpec {
  /** verify: every equivalence class of each seed's iterations (docs/verify.md); "found" or "verified". */
  mode: 'pct' | 'random' | 'free' | 'verify';
  /** Iterations per seed; free mode: at most this many (default: unbounded, the duration decides). */
  iterations: number;
  /** Per seed; 0: no time limit. */
  durationMs: number;
  /** free mode only. */
  jitter: number;
  /** verify only: a preemption bound (absent: none). */
  preemptions?: number;
  /** verify only: each seed's tree split into this many parts, each a unit of its own (--part I/N); absent: one. */
  parts?: number;
  /** verify in parts only: --part-depth. */
  partDepth?: number;
  /** --memory tso (absent: sc, so that sc cells read as before). */
  memory?: 'tso';
}

/** What decides the exit code: a finding (as `run`), or a result that disagrees with the expectation. */
export type ExitPolicy = 'finding' | 'expectation';

export interface CampaignSpec {
  name: string;
  description: string;
  /** 'builtin': every built-in scenario of the foliorace that runs it; else names or paths. */
  scenarios: 'builtin' | string[];
  profiles: ProfileSpec[];
  modes: ModeSpec[];
  seeds: string[];
  stopOnFirst: boolean;
  exit: ExitPolicy;
}

/** The fields of a campaign file (docs/campaign.schema.json lists the same). */
export const CAMPAIGN_FIELDS = ['$schema', 'name', 'description', 'scenarios', 'profiles', 'patches', 'modes', 'seeds', 'stopOnFirst', 'exit'];
const SEED = /^[A-Za-z0-9_-]{1,64}$/;
/** The fields of a profile object. */
const PROFILE_FIELDS = ['kernel', 'patches', 'patchFile'];
const MAX_SEEDS = 100_000;

type Json = unknown;

/** Reads and checks a campaign file; any problem is a UsageError naming the file and the field. */
export function readCampaignFile(path: string): CampaignSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read campaign file ${path}: ${code === 'ENOENT' ? 'no such file' : code ?? String(e)}`);
  }
  let raw: Json;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`campaign file ${path} is not valid JSON: ${(e as Error).message}`);
  }
  return parseCampaign(raw, path);
}

/** Checks a parsed campaign; `where` names it in messages. */
export function parseCampaign(raw: Json, where: string): CampaignSpec {
  const bad = (field: string, want: string, got: Json): never => {
    throw new UsageError(`${where}: "${field}" must be ${want} (got ${JSON.stringify(got) ?? 'nothing'})`);
  };
  if (!isObject(raw)) return bad('(top level)', 'an object', raw);
  for (const k of Object.keys(raw)) {
    if (!CAMPAIGN_FIELDS.includes(k)) throw new UsageError(`${where}: unknown field "${k}"; fields: ${CAMPAIGN_FIELDS.slice(1).join(', ')}`);
  }
  const name = raw['name'];
  if (typeof name !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(name)) bad('name', '1 to 64 letters, digits, ., _ or -', name);
  const description = raw['description'] ?? '';
  if (typeof description !== 'string') bad('description', 'a string', description);

  const scenarios = raw['scenarios'];
  if (scenarios !== 'builtin' && !(Array.isArray(scenarios) && scenarios.length > 0 && scenarios.every((s) => typeof s === 'string' && s !== ''))) {
    bad('scenarios', '"builtin" or a non-empty list of scenario names or .js/.ts paths', scenarios);
  }

  const common = patchesOf(raw['patches'] ?? {}, 'patches', bad);
  const profiles = raw['profiles'] ?? ['before', 'after'];
  if (!Array.isArray(profiles) || profiles.length === 0) return bad('profiles', 'a non-empty list', profiles);
  const profileSpecs = profiles.map((p, i): ProfileSpec => {
    const field = `profiles[${i}]`;
    if (typeof p === 'string' && p !== '') return { ...kernelAndPatchFile(p, field, bad), patches: { ...common } };
    if (isObject(p) && typeof p['kernel'] === 'string' && Object.keys(p).every((k) => PROFILE_FIELDS.includes(k))) {
      const patchFile = p['patchFile'] ?? null;
      if (patchFile !== null && !(typeof patchFile === 'string' && MODULE_PATH.test(patchFile))) {
        bad(`${field}.patchFile`, 'a .ts, .js or .mjs path', patchFile);
      }
      const patches = { ...common, ...patchesOf(p['patches'] ?? {}, `${field}.patches`, bad) };
      return { kernel: p['kernel'], patches, patchFile: patchFile as string | null };
    }
    return bad(field, `a profile name, one of ${PROFILE_KEYWORDS.join(', ')}, "KERNEL+PATCH_FILE", ` +
      'or {"kernel": ..., "patches": {...}, "patchFile": ...}', p);
  });

  const modes = raw['modes'];
  if (!Array.isArray(modes) || modes.length === 0) return bad('modes', 'a non-empty list like [{"mode": "pct", "iterations": 20000}]', modes);
  const modeSpecs = modes.map((m, i) => modeOf(m, `modes[${i}]`, bad));

  const stopOnFirst = raw['stopOnFirst'] ?? false;
  if (typeof stopOnFirst !== 'boolean') bad('stopOnFirst', 'true or false', stopOnFirst);
  const exit = raw['exit'] ?? 'finding';
  if (exit !== 'finding' && exit !== 'expectation') bad('exit', '"finding" (exit 1 when anything forbidden is found, as run) or "expectation" (exit 1 when a result disagrees with its expectation)', exit);

  return {
    name: name as string, description: description as string, scenarios: scenarios as CampaignSpec['scenarios'],
    profiles: profileSpecs, modes: modeSpecs, seeds: seedsOf(raw['seeds'] ?? ['1'], bad),
    stopOnFirst: stopOnFirst as boolean, exit: exit as ExitPolicy,
  };
}

/** "6.17" or "6.17+./fix.ts" (kernelWithPatch()), as a profile spec's kernel and patch file. */
function kernelAndPatchFile(p: string, field: string, bad: Bad): Pick<ProfileSpec, 'kernel' | 'patchFile'> {
  try {
    const k = kernelWithPatch(p);
    return { kernel: k.kernel!, patchFile: k.patchFile ?? null };
  } catch {
    return bad(field, 'a profile, or a profile + a patch file ("6.17+./fix.ts")', p);
  }
}

function isObject(x: Json): x is Record<string, Json> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

type Bad = (field: string, want: string, got: Json) => never;

function patchesOf(p: Json, field: string, bad: Bad): Record<string, boolean> {
  if (!isObject(p) || !Object.values(p).every((v) => typeof v === 'boolean')) return bad(field, 'an object of patch switches, {"NAME": true|false}', p);
  return p as Record<string, boolean>;
}

function modeOf(m: Json, field: string, bad: Bad): ModeSpec {
  if (!isObject(m)) return bad(field, 'an object like {"mode": "pct", "iterations": 20000}', m);
  for (const k of Object.keys(m)) {
    if (!['mode', 'iterations', 'duration', 'jitter', 'preemptions', 'parts', 'partDepth', 'memory'].includes(k)) {
      bad(`${field}.${k}`, 'absent (fields: mode, iterations, duration, jitter, preemptions, parts, partDepth, memory)', m[k]);
    }
  }
  const mode = m['mode'];
  if (mode !== 'pct' && mode !== 'random' && mode !== 'free' && mode !== 'verify') return bad(`${field}.mode`, '"pct", "random", "free" or "verify"', mode);
  const memory = m['memory'] ?? 'sc';
  if (memory !== 'sc' && memory !== 'tso') bad(`${field}.memory`, '"sc" or "tso"', memory);
  const outsideVerify = mode === 'verify' ? null : 'absent outside verify mode';
  const preemptions = optionalInt(m, field, 'preemptions', 0, 20, outsideVerify, bad);
  const parts = optionalInt(m, field, 'parts', 2, 10_000, outsideVerify, bad);
  const partDepth = optionalInt(m, field, 'partDepth', 1, 1000, parts === null ? 'absent without "parts"' : null, bad);
  const iterations = m['iterations'];
  if (iterations !== undefined && !(Number.isSafeInteger(iterations) && (iterations as number) >= 1)) bad(`${field}.iterations`, 'a positive integer', iterations);
  const duration = m['duration'];
  let durationMs = 0;
  if (duration !== undefined) {
    const want = 'a duration like "2s", "500ms" or "5m"';
    if (typeof duration !== 'string') bad(`${field}.duration`, want, duration);
    try {
      durationMs = parseDuration(duration as string, 'duration');
    } catch {
      bad(`${field}.duration`, want, duration);
    }
  }
  if (iterations === undefined && durationMs === 0 && mode !== 'verify') bad(field, 'given "iterations", "duration" or both', m);
  if ((mode === 'pct' || mode === 'random') && durationMs > 0) bad(`${field}.duration`, 'absent in pct and random mode: give "iterations", so that a seed always runs the same iterations', duration);
  const jitter = m['jitter'] ?? 0;
  if (!(Number.isSafeInteger(jitter) && (jitter as number) >= 0 && (jitter as number) <= 100_000)) bad(`${field}.jitter`, 'an integer from 0 to 100000', jitter);
  if (mode !== 'free' && jitter !== 0) bad(`${field}.jitter`, 'absent outside free mode', jitter);
  return { mode, iterations: (iterations as number | undefined) ?? (mode === 'verify' ? 1 : 1e12), durationMs, jitter: jitter as number,
    ...(preemptions === null ? {} : { preemptions }), ...(parts === null ? {} : { parts }),
    ...(partDepth === null ? {} : { partDepth }), ...(memory === 'tso' ? { memory } : {}) };
}

/**
 * Field `key` of mode `m`: absent (null), or an integer from `min` to `max`. Where `absent` is
 * given, the field may not be there at all, and the message says so in those words.
 */
function optionalInt(m: Record<string, Json>, field: string, key: string, min: number, max: number, absent: string | null, bad: Bad): number | null {
  const v = m[key] ?? null;
  if (v !== null && (absent !== null || !(Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max))) {
    bad(`${field}.${key}`, absent ?? `an integer from ${min} to ${max}`, v);
  }
  return v as number | null;
}

function seedsOf(s: Json, bad: Bad): string[] {
  let seeds: string[];
  if (isObject(s)) {
    const { from, count } = s;
    if (Object.keys(s).some((k) => k !== 'from' && k !== 'count') || !Number.isSafeInteger(from) || (from as number) < 0 ||
      !Number.isSafeInteger(count) || (count as number) < 1 || (count as number) > MAX_SEEDS) {
      return bad('seeds', `a list of seeds or {"from": N, "count": 1..${MAX_SEEDS}}`, s);
    }
    seeds = Array.from({ length: count as number }, (_, i) => String((from as number) + i));
  } else if (Array.isArray(s) && s.length > 0 && s.every((x) => (typeof x === 'string' && SEED.test(x)) || (Number.isSafeInteger(x) && (x as number) >= 0))) {
    seeds = s.map(String);
  } else {
    return bad('seeds', 'a non-empty list of seeds (1 to 64 letters, digits, _ or -) or {"from": N, "count": K}', s);
  }
  if (new Set(seeds).size !== seeds.length) bad('seeds', 'a list without repeats', s);
  return seeds;
}
