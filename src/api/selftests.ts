// The ported kernel selftests as a conformance suite: every in-scope case of cow.c and
// gup_longterm.c run under each kernel profile, the model's verdict set beside the real kernel's.
import { SELFTEST_CASES, SELFTEST_PROFILES, type KernelResult, type SelftestCase } from '../scenarios/selftests/catalogue.js';
import { SELFTEST_SCENARIOS } from '../scenarios/selftests/index.js';
import type { RunReport } from '../report/report.js';
import { runScenario } from './run.js';
import type { RunOptions } from '../host/options.js';
import { UsageError } from '../errors.js';

/** The model's verdict on one case under one profile: the selftest's pass or fail, or an error of the model. */
export type ModelResult = 'pass' | 'fail' | 'error';

export interface SelftestCell {
  kernel: KernelResult;
  model: ModelResult;
  /** Whether the model gives the kernel's answer ('?', 'fs' and 'race' never disagree; 'xfail' is a fail). */
  agrees: boolean;
  iterations: number;
  /** Iterations that reached the selftest's failure. */
  failed: number;
  violations: number;
  /** The model crashed (an internal error) instead of finishing the run: its message. */
  crash?: string;
}

export interface SelftestRow {
  file: SelftestCase['file'];
  title: string;
  scenario: string;
  cells: Record<string, SelftestCell>;
}

export interface SuiteOptions {
  kernels?: readonly string[];
  /** Only cases whose title or scenario name contains this (case-insensitive). */
  filter?: string;
  mode?: 'pct' | 'random' | 'free';
  seed?: string;
  iterations?: number;
  durationMs?: number;
  /** Aborted (SIGINT, SIGTERM): the run in progress stops, no further case starts. */
  signal?: AbortSignal;
}

/** In-scope cases of the catalogue that have no scenario yet (the suite cannot run them). */
export function unportedCases(): SelftestCase[] {
  return SELFTEST_CASES.filter((c) => c.scenario !== null && !SELFTEST_SCENARIOS.some((s) => s.name === c.scenario));
}

/** The ported cases the filter selects; a filter that selects none is a usage error. */
export function selectedCases(filter: string | undefined): SelftestCase[] {
  const f = filter?.toLowerCase();
  const missing = new Set(unportedCases());
  const cases = SELFTEST_CASES.filter((c) => c.scenario !== null && !missing.has(c) &&
    (f === undefined || c.title.toLowerCase().includes(f) || (c.scenario ?? '').includes(f)));
  if (cases.length === 0) throw new UsageError(`--cases "${filter ?? ''}" matches no in-scope selftest case (see foliorace selftests --all)`);
  return cases;
}

function modelResult(r: RunReport): ModelResult {
  if (r.violations + r.deadlocks + r.livelocks > 0) return 'error';
  return r.forbidden > 0 ? 'fail' : 'pass';
}

function agrees(kernel: KernelResult, model: ModelResult): boolean {
  if (model === 'error') return false;
  if (kernel === 'pass') return model === 'pass';
  if (kernel === 'fail' || kernel === 'xfail') return model === 'fail';
  return true;
}

/** One case under one profile; a crash of the model is that cell's error, not the suite's end. */
async function runCell(opts: RunOptions, kernel: KernelResult, signal: AbortSignal | undefined): Promise<SelftestCell> {
  try {
    const r = await runScenario(opts, signal ? { signal } : {});
    const model = modelResult(r);
    return { kernel, model, agrees: agrees(kernel, model), iterations: r.iterations, failed: r.forbidden,
      violations: r.violations + r.deadlocks + r.livelocks };
  } catch (e) {
    if (e instanceof UsageError) throw e;
    return { kernel, model: 'error', agrees: false, iterations: 0, failed: 0, violations: 0,
      crash: e instanceof Error ? e.message : String(e) };
  }
}

/** Runs every selected case under every profile; `progress` hears of each run before it starts. */
export async function runSelftests(o: SuiteOptions, progress: (done: number, total: number, what: string) => void = () => {})
  : Promise<SelftestRow[]> {
  const kernels = o.kernels ?? SELFTEST_PROFILES;
  const cases = selectedCases(o.filter);
  const rows: SelftestRow[] = [];
  let done = 0;
  for (const c of cases) {
    if (o.signal?.aborted) break;
    const scenario = c.scenario as string;
    const cells: Record<string, SelftestCell> = {};
    for (const kernel of kernels) {
      if (o.signal?.aborted) break;
      progress(done++, cases.length * kernels.length, `${scenario} ${kernel}`);
      const opts: RunOptions = { scenario, kernel, mode: o.mode ?? 'pct', seed: o.seed ?? '1', out: null,
        iterations: o.iterations ?? 2000 };
      if (o.durationMs !== undefined) opts.durationMs = o.durationMs;
      const k = (c.kernel as Record<string, KernelResult>)[kernel] ?? '?';
      cells[kernel] = await runCell(opts, k, o.signal);
    }
    rows.push({ file: c.file, title: c.title, scenario, cells });
  }
  return rows;
}
