// The replay string: one pasteable token that holds a failure, as shuttle prints one, so that
// `foliorace replay 'STRING'` reproduces it without the file. Fields, ':'-separated and each
// percent-encoded (so a path or an outcome may hold any character):
//
//   foliorace1:VERSION:FINGERPRINT:SCENARIO:KERNEL:PATCHES:CPUS:ITERATION:MODE:KIND:OUTCOME:SCHEDULE
//
// PATCHES lists only the switches that differ from the profile, as +name (on) or -name (off),
// comma-separated ('' when none); SCHEDULE is the run-length encoding with '.' between runs
// ("1x13.0x60"); SCENARIO is a built-in name or the absolute path of a scenario file.
import { resolveProfile } from '../kernel/profile.js';
import type { FailureFile } from './failure.js';
import { MODES, type Mode } from '../sched/modes.js';

const MAGIC = 'foliorace1';
const FIELDS = 12;

/** The replay string of `f`, whose schedule is the one to replay (shrunk, when there is one). */
export function encodeReplayString(f: FailureFile, profilePatches: Readonly<Record<string, boolean>>): string {
  const diff = Object.keys(f.patches).sort().filter((k) => f.patches[k] !== profilePatches[k])
    .map((k) => `${f.patches[k] ? '+' : '-'}${k}`).join(',');
  const schedule = (f.shrunk?.schedule ?? f.schedule).trim().split(/\s+/).join('.');
  return [MAGIC, f.version ?? '', f.fingerprint ?? '', f.scenario, f.kernel, diff, String(f.cpus), String(f.iteration),
    f.mode, f.kind, f.outcome, schedule].map((x, i) => (i === 0 ? x : encodeURIComponent(x))).join(':');
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
}

export function isReplayString(text: string): boolean {
  return text.startsWith(`${MAGIC}:`);
}

/** Parses a replay string; throws a RangeError saying what is wrong. */
export function decodeReplayString(text: string): DecodedReplayString {
  const parts = text.trim().split(':');
  if (parts[0] !== MAGIC) throw new RangeError(`a replay string starts with "${MAGIC}:"`);
  if (parts.length !== FIELDS) throw new RangeError(`a replay string has ${FIELDS} ':'-separated fields (got ${parts.length})`);
  let v: string[];
  try {
    v = parts.map((p) => decodeURIComponent(p));
  } catch {
    throw new RangeError('a replay string field is not valid percent-encoding');
  }
  const [, version, fingerprint, scenario, kernel, diff, cpus, iteration, mode, kind, outcome, schedule] = v as [string, ...string[]];
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
  if (!/^(\d+x\d+)(\.\d+x\d+)*$/.test(schedule!)) throw new RangeError(`bad schedule "${schedule}" (want runs like 1x13.0x60)`);
  return {
    version: version!, fingerprint: fingerprint!, scenario: scenario!, kernel: kernel!, patches,
    cpus: int(cpus!, 'CPU count'), iteration: int(iteration!, 'iteration'), mode: mode as Mode,
    kind: kind as FailureFile['kind'], outcome: outcome!, schedule: schedule!.split('.').join(' '),
  };
}
