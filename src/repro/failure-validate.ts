// A failure file is input: it may be hand-edited, truncated, or not a failure file at all. Every
// field is checked before anything is decoded or allocated (sizes bounded, integers in range); the
// schedule is checked against the scenario's own step limit once the scenario is known. Each error
// is one UsageError naming the file and the field. Fields this version does not know are allowed
// (later versions add some).
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { Scenario } from '../scenario/define.js';
import { cpuRange } from '../scenario/define.js';
import { scheduledAgents, type MachineConfig } from '../shm/layout.js';
import { decodeSchedule } from '../sched/schedule.js';
import { UsageError } from '../errors.js';
import { num } from '../report/num.js';
import type { FailureFile } from './failure.js';
import { FINDING_KINDS, type FindingKind } from '../cpu/finding-kind.js';
import { MAX_CONTROLLED_CPUS, MODES, type Mode } from '../sched/modes.js';
import { show } from '../load/validate-scenario.js';
import { unknownFormatLine } from '../report/format-refusal.js';

/** Far above any real failure file (a 1,048,576-step schedule is about 8 MiB at worst). */
export const MAX_FAILURE_FILE_BYTES = 16 * 2 ** 20;
/** Iteration numbers are machine words (Ctrl.CUR_ITER, a signed 32-bit integer). */
export const MAX_ITERATION = 2 ** 31 - 1;

/** The text of `path`, a regular file of bounded size. */
export function readFailureText(path: string): string {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer (it is then refused as not a regular file)
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read failure file ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : code}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new UsageError(`cannot read failure file ${path}: not a regular file`);
    if (st.size > MAX_FAILURE_FILE_BYTES) {
      throw new UsageError(`${path} is not a foliorace failure file: ${num(st.size)} bytes, more than ${num(MAX_FAILURE_FILE_BYTES)}`);
    }
    const buf = Buffer.alloc(st.size);
    let at = 0;
    while (at < st.size) {
      const n = readSync(fd, buf, at, st.size - at, at);
      if (n === 0) break;
      at += n;
    }
    return buf.toString('utf8', 0, at);
  } finally {
    closeSync(fd);
  }
}

/** The failure file in `text`, every field checked; `path` names it in errors. */
export function parseFailureFile(text: string, path: string): FailureFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new UsageError(`cannot read failure file ${path}: not valid JSON`);
  }
  const bad = (field: string, want: string, got?: unknown): never => {
    throw new UsageError(`${path} is not a valid foliorace failure file: "${field}" must be ${want}${got === undefined ? ' (missing)' : ` (got ${show(got)})`}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) bad('foliorace', 'the number 1 in a JSON object', raw);
  const f = raw as Record<string, unknown>;
  const field = (k: string): unknown => (Object.hasOwn(f, k) ? f[k] : undefined);
  if (field('foliorace') !== 1) {
    const newer = unknownFormatLine(path, 'foliorace failure file', 'foliorace', field('foliorace'), 1);
    if (newer !== null) throw new UsageError(newer);
    bad('foliorace', '1', field('foliorace'));
  }
  const str = (k: string, max: number, re?: RegExp): void => {
    const v = field(k);
    if (typeof v !== 'string' || v.length === 0 || v.length > max || (re && !re.test(v))) {
      bad(k, `a string of 1 to ${max} characters${re ? ` matching ${re.source}` : ''}`, v);
    }
  };
  const int = (k: string, min: number, max: number): void => {
    const v = field(k);
    if (!Number.isSafeInteger(v) || (v as number) < min || (v as number) > max) {
      bad(k, `an integer from ${min} to ${num(max)}`, v);
    }
  };
  str('scenario', 4096, /^[^\0]*$/);
  str('kernel', 64);
  str('seed', 64, /^[A-Za-z0-9_-]+$/);
  str('outcome', 1024);
  int('cpus', 1, 256);
  int('iteration', 0, MAX_ITERATION);
  const mode = field('mode');
  if (!MODES.includes(mode as Mode) || mode === 'replay') bad('mode', 'free, pct or random', mode);
  const memory = field('memory');
  if (memory !== undefined && memory !== 'tso') bad('memory', '"tso", or absent (sc)', memory);
  if (mode !== 'free') int('cpus', 1, memory === 'tso' ? Math.floor(MAX_CONTROLLED_CPUS / 2) : MAX_CONTROLLED_CPUS);
  const kind = field('kind');
  if (!FINDING_KINDS.includes(kind as FindingKind)) bad('kind', FINDING_KINDS.join(', '), kind);
  const schedule = field('schedule');
  if (typeof schedule !== 'string') bad('schedule', 'a string of CPUxCOUNT runs ("0x12 1x3")', schedule);
  const shrunk = field('shrunk');
  if (shrunk !== undefined) {
    const k = shrunk as Record<string, unknown> | null;
    if (typeof k !== 'object' || k === null || Array.isArray(k)) bad('shrunk', 'an object {schedule, steps, preemptions, ...}', shrunk);
    if (typeof k!.schedule !== 'string') bad('shrunk.schedule', 'a string of CPUxCOUNT runs ("0x12 1x3")', k!.schedule);
    for (const n of ['steps', 'preemptions', 'fromSteps', 'fromPreemptions']) {
      if (!Number.isSafeInteger(k![n]) || (k![n] as number) < 0) bad(`shrunk.${n}`, 'an integer ≥ 0', k![n]);
    }
  }
  const patchFile = field('patchFile');
  if (patchFile !== undefined) {
    const pf = patchFile as Record<string, unknown> | null;
    if (typeof pf !== 'object' || pf === null || Array.isArray(pf)) bad('patchFile', 'an object {name, path, hash}', patchFile);
    if (typeof pf!.name !== 'string' || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(pf!.name)) bad('patchFile.name', 'a patch name (kebab-case)', pf!.name);
    if (typeof pf!.path !== 'string' || pf!.path.length === 0 || pf!.path.length > 4096 || pf!.path.includes('\0')) {
      bad('patchFile.path', 'the patch file\'s path', pf!.path);
    }
    if (typeof pf!.hash !== 'string' || !/^[0-9a-f]{12}$/.test(pf!.hash)) bad('patchFile.hash', '12 hex digits', pf!.hash);
  }
  const patches = field('patches');
  if (typeof patches !== 'object' || patches === null || Array.isArray(patches)) bad('patches', 'an object of switch: true|false', patches);
  for (const [k, v] of Object.entries(patches as object)) {
    if (typeof v !== 'boolean') bad(`patches.${k.slice(0, 64)}`, 'true or false', v);
  }
  return f as unknown as FailureFile;
}

/** The file against its scenario's declaration: a CPU count it runs on, a forbidden outcome it declares. */
export function checkAgainstScenario(f: FailureFile, path: string, s: Scenario): void {
  const range = cpuRange(s);
  if (f.cpus < range.min || f.cpus > range.max) {
    throw new UsageError(`${path}: "cpus" is ${f.cpus}, but scenario ${s.name} runs on ${range.min === range.max ? `exactly ${range.min}` : `${range.min} to ${range.max}`} CPUs`);
  }
  if (f.kind === 'forbidden') {
    const forbidden = Object.entries(s.outcomes).filter(([, k]) => k === 'forbidden').map(([n]) => n);
    if (!forbidden.includes(f.outcome)) {
      throw new UsageError(`${path}: "outcome" ${show(f.outcome)} is not a forbidden outcome of scenario ${s.name} ` +
        `(its forbidden outcomes: ${forbidden.join(', ') || 'none'})`);
    }
  }
}

/** The file's schedule, decoded only if it is within the scenario's step limit. */
export function scheduleOf(f: FailureFile, path: string, config: MachineConfig): number[] {
  try {
    return decodeSchedule(f.schedule, scheduledAgents(config), config.scheduleCapacity);
  } catch (e) {
    throw new UsageError(`${path}: "schedule": ${(e as Error).message}`);
  }
}
