// `foliorace bench drain`: options → the drain-cost experiments → table, JSON and picture.
import { writeFileWhole } from '../report/write-whole.js';
import { ProfileError, resolveProfile } from '../kernel/profile.js';
import { UsageError } from '../errors.js';
import { BATCH_SIZES, DEFAULT_OPTIONS, EXPERIMENTS, QUICK, runDrainBench, type DrainBenchOptions, type Experiment } from '../drain-bench/drain.js';
import { FILLS, LOADS, type Fill, type Load } from '../drain-bench/experiments.js';
import { drainPlotSvg } from '../drain-bench/plot.js';
import { drainBenchTable } from '../drain-bench/table.js';
import { checkOutputFile } from './out-paths.js';
import { allowOnly, has, int, intList, listFlag, one, patchFileFlag, patchFlags, type Parsed } from './args.js';
import { loadPatch } from '../load/load.js';
import { loadProbe } from '../load/probe.js';
import { stderr, stdout } from './io.js';

export const BENCH_FLAGS = ['cpus', 'batch', 'fill', 'load', 'per-cpu', 'reps', 'quick', 'kernel', 'patch', 'experiment', 'gup-cpus',
  'json', 'plot', 'debug', 'help'];

function oneOf<T extends string>(flag: string, allowed: readonly T[]): (v: string) => T {
  return (v) => {
    if (!allowed.includes(v as T)) throw new UsageError(`--${flag} takes ${allowed.join(', ')} (got "${v}")`);
    return v as T;
  };
}

/** The options of `bench drain`, validated once (a patch file is loaded by bench()). */
export function benchOptions(p: Parsed): DrainBenchOptions {
  const o: DrainBenchOptions = { ...DEFAULT_OPTIONS, ...(has(p, 'quick') ? QUICK : {}) };
  o.cpus = intList(p, 'cpus', 1, 256) ?? o.cpus;
  o.batches = listFlag(p, 'batch', (v) => {
    if (!BATCH_SIZES.map(String).includes(v)) throw new UsageError(`--batch takes the kernel's batch sizes ${BATCH_SIZES.join(' and ')} (got "${v}")`);
    return Number(v);
  }) ?? o.batches;
  o.fills = listFlag<Fill>(p, 'fill', oneOf('fill', FILLS)) ?? o.fills;
  o.loads = listFlag<Load>(p, 'load', oneOf('load', LOADS)) ?? o.loads;
  o.experiments = listFlag<Experiment>(p, 'experiment', oneOf('experiment', EXPERIMENTS)) ?? o.experiments;
  o.perCpu = int(p, 'per-cpu', 1, Math.min(...o.batches) - 1) ?? null;
  o.reps = int(p, 'reps', 1, 100_000) ?? o.reps;
  o.gupReps = int(p, 'reps', 1, 100_000) ?? o.gupReps;
  o.gupCpus = int(p, 'gup-cpus', 2, 256) ?? o.gupCpus;
  const kernel = one(p, 'kernel') ?? o.kernel.kernel;
  const patches = patchFlags(p);
  try {
    resolveProfile(kernel, patches);
  } catch (e) {
    if (e instanceof ProfileError) throw new UsageError(e.message);
    throw e;
  }
  o.kernel = { kernel, patches, patch: null };
  o.ownGup = has(p, 'kernel') || has(p, 'patch');
  return o;
}

function progressLine(enabled: boolean): { update(done: number, total: number, what: string): void; done(): void } {
  if (!enabled || !stderr().isTTY) return { update() {}, done() {} };
  return {
    update(done, total, what) { stderr().write(`\r\x1b[Kbench drain [${done}/${total}] ${what}`); },
    done() { stderr().write('\r\x1b[K'); },
  };
}

export async function bench(p: Parsed, signal?: AbortSignal): Promise<number> {
  allowOnly(p, BENCH_FLAGS);
  if (p.positional[0] !== 'drain' || p.positional.length > 1) {
    throw new UsageError(`bench takes one experiment, drain (got "${p.positional.join(' ')}"): foliorace bench drain [options]`);
  }
  const o = benchOptions(p);
  const patchFile = patchFileFlag(p);
  if (patchFile !== undefined) o.kernel.patch = await loadPatch(patchFile, { typecheck: true, probe: loadProbe({}, signal) });
  const plot = one(p, 'plot');
  if (plot !== undefined) checkOutputFile(plot, '--plot');
  const asJson = has(p, 'json');
  const bar = progressLine(!asJson);
  let report;
  try {
    report = await runDrainBench(o, (d, t, what) => bar.update(d, t, what), signal);
  } finally {
    bar.done();
  }
  if (plot !== undefined) {
    try {
      writeFileWhole(plot, drainPlotSvg(report));
    } catch (e) {
      throw new UsageError(`--plot: cannot write ${plot}: ${(e as Error).message}`);
    }
  }
  stdout().write(asJson ? `${JSON.stringify(report, null, 2)}\n` : `${drainBenchTable(report)}\n`);
  return 0;
}
