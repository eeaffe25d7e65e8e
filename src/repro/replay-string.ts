// The replay string: one pasteable token that holds a failure, as shuttle prints one, so that
// `foliorace replay 'STRING'` reproduces it without the file. Fields, ':'-separated and each
// percent-encoded (so a path or an outcome may hold any character):
//
//   foliorace1:VERSION:FINGERPRINT:SCENARIO:KERNEL:PATCHES:CPUS:ITERATION:MODE:KIND:OUTCOME:SCHEDULE[:PATCHFILE][:MEMORY]
//
// PATCHES lists only the switches that differ from the profile, as +name (on) or -name (off),
// comma-separated ('' when none); SCHEDULE is the run-length encoding with '.' between runs
// ("1x13.0x60"); SCENARIO is a built-in name or the absolute path of a scenario file. PATCHFILE,
// only when the run applied a patch file (0.2.0), is NAME@HASH@PATH (its absolute path). MEMORY is
// there only when the memory model is not sc ("tso"), so strings of sc runs are as they always were
// and older strings read as sc; under tso, SCHEDULE names CPUS + c for a flush step of CPU c's
// store buffer. The two optional fields cannot be mistaken for each other (a patch field has '@').
import { resolveProfile } from '../kernel/profile.js';
import type { FailureFile } from './failure.js';
import type { PatchIdentity } from '../report/report.js';
import { MODES, type Mode } from '../sched/modes.js';

const MAGIC = 'foliorace1';
const FIELDS = 12;
/** With a patch file's field and a memory model's, the most a string has. */
const FIELDS_MOST = 14;

/** The replay string of `f`, whose schedule is the one to replay (shrunk, when there is one). */
export function encodeReplayString(f: FailureFile, profilePatches: Readonly<Record<string, boolean>>): string {
  const diff = Object.keys(f.patches).sort().filter((k) => f.patches[k] !== profilePatches[k])
    .map((k) => `${f.patches[k] ? '+' : '-'}${k}`).join(',');
  const schedule = (f.shrunk?.schedule ?? f.schedule).trim().split(/\s+/).join('.');
  const patchFile = f.patchFile ? [`${f.patchFile.name}@${f.patchFile.hash}@${f.patchFile.path}`] : [];
  return [MAGIC, f.version ?? '', f.fingerprint ?? '', f.scenario, f.kernel, diff, String(f.cpus), String(f.iteration),
    f.mode, f.kind, f.outcome, schedule, ...patchFile, ...(f.memory ? [f.memory] : [])]
    .map((x, i) => (i === 0 ? x : encodeURIComponent(x))).join(':');
}

/** The replay string of a failure file, its patches told apart from its profile's. */
export function replayStringOf(f: FailureFile): string {
  return encodeReplayString(f, resolveProfile(f.kernel, {}).patches);
}

/** What a replay string holds; `patches` are the overrides only (the profile gives the rest). */
export interface DecodedReplayString {
  version: string;
  fingerprint: string;
  scenario: string;
  kernel: string;
  patches: Record<string, boolean>;
  cpus: number;
  iteration: number;
  mode: Mode;
  kind: FailureFile['kind'];
  outcome: string;
  /** Run-length encoded, space-separated ("1x13 0x60"). */
  schedule: string;
  /** The patch file the run applied (absent: none). */
  patchFile?: PatchIdentity;
  memory: 'sc' | 'tso';
}

export function isReplayString(text: string): boolean {
  return text.startsWith(`${MAGIC}:`);
}

/** Parses a replay string; throws a RangeError saying what is wrong. */
export function decodeReplayString(text: string): DecodedReplayString {
  const parts = text.trim().split(':');
  if (parts[0] !== MAGIC) throw new RangeError(`a replay string starts with "${MAGIC}:"`);
  if (parts.length < FIELDS || parts.length > FIELDS_MOST) {
    throw new RangeError(`a replay string has ${FIELDS} ':'-separated fields, one more with a patch file, one more with a memory model (got ${parts.length})`);
  }
  let v: string[];
  try {
    v = parts.map((p) => decodeURIComponent(p));
  } catch {
    throw new RangeError('a replay string field is not valid percent-encoding');
  }
  const [, version, fingerprint, scenario, kernel, diff, cpus, iteration, mode, kind, outcome, schedule, ...optional] = v as [string, ...string[]];
  const memory = optional.length > 0 && !optional[optional.length - 1]!.includes('@') ? optional.pop()! : 'sc';
  const patchFile = optional.shift();
  if (optional.length > 0) throw new RangeError(`a replay string's optional fields are a patch file, then a memory model (got "${v.slice(FIELDS).join(':')}")`);
  const patches: Record<string, boolean> = {};
  for (const p of diff!.split(',').filter((x) => x !== '')) {
    if (!/^[+-][a-z0-9-]+$/.test(p)) throw new RangeError(`bad patch override "${p}" (want +name or -name)`);
    patches[p.slice(1)] = p[0] === '+';
  }
  const int = (x: string, what: string): number => {
    if (!/^\d+$/.test(x)) throw new RangeError(`bad ${what} "${x}"`);
    return Number(x);
  };
  if (!['forbidden', 'violation', 'deadlock', 'livelock'].includes(kind!)) throw new RangeError(`bad kind "${kind}"`);
  if (!MODES.includes(mode as Mode)) throw new RangeError(`bad mode "${mode}"`);
  if (memory !== 'sc' && memory !== 'tso') throw new RangeError(`bad memory model "${memory}" (want tso, or no field for sc)`);
  if (!/^(\d+x\d+)(\.\d+x\d+)*$/.test(schedule!)) throw new RangeError(`bad schedule "${schedule}" (want runs like 1x13.0x60)`);
  const d: DecodedReplayString = {
    version: version!, fingerprint: fingerprint!, scenario: scenario!, kernel: kernel!, patches,
    cpus: int(cpus!, 'CPU count'), iteration: int(iteration!, 'iteration'), mode: mode as Mode,
    kind: kind as FailureFile['kind'], outcome: outcome!, schedule: schedule!.split('.').join(' '), memory,
  };
  if (patchFile !== undefined) d.patchFile = patchFileOf(patchFile);
  return d;
}

/** NAME@HASH@PATH. */
function patchFileOf(field: string): PatchIdentity {
  const m = /^([a-z0-9][a-z0-9-]{0,63})@([0-9a-f]{12})@(\/.+)$/.exec(field);
  if (!m) throw new RangeError(`bad patch file "${field}" (want NAME@HASH@/absolute/path)`);
  return { name: m[1]!, hash: m[2]!, path: m[3]! };
}
