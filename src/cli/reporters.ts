// --reporter text|tap|json and --junit FILE for run and compare; the trace lines of --trace.
import { writeFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { junitReport } from '../report/ci.js';
import type { RunReport } from '../report/report.js';
import { has, one, type Parsed } from './args.js';

export const REPORTERS = ['text', 'tap', 'json'] as const;
export type Reporter = (typeof REPORTERS)[number];

/** --reporter (and --json, its shorthand for json). */
export function reporterFlag(p: Parsed): Reporter {
  const v = one(p, 'reporter');
  if (v === undefined) return has(p, 'json') ? 'json' : 'text';
  if (!REPORTERS.includes(v as Reporter)) throw new UsageError(`--reporter must be text, tap or json (got "${v}")`);
  if (has(p, 'json') && v !== 'json') throw new UsageError(`--json and --reporter ${v} ask for two different reports on stdout; give one`);
  return v as Reporter;
}

/** Writes the JUnit XML of `reports` to --junit FILE, if given. */
export function writeJunit(p: Parsed, reports: readonly RunReport[]): void {
  const file = one(p, 'junit');
  if (file === undefined) return;
  try {
    writeFileSync(file, junitReport(reports));
  } catch (e) {
    throw new UsageError(`--junit: cannot write ${file}: ${(e as Error).message}`);
  }
}

/** Whether --trace wrote its file: a trace exists only of a failing iteration. */
export function traceLine(file: string | undefined, r: RunReport): string | null {
  if (file === undefined) return null;
  return r.firstFailure ? `trace written to ${file} (open it in https://ui.perfetto.dev; time axis in schedule steps)`
    : `no trace written to ${file}: no iteration failed`;
}
