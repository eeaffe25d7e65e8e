// `foliorace selftests`: the kernel's cow.c / gup_longterm.c cases as a conformance suite.
import { PROFILES } from '../kernel/profile.js';
import { SELFTEST_CASES, SELFTEST_PROFILES } from '../scenarios/selftests/catalogue.js';
import { UsageError } from '../errors.js';
import { runSelftests, type SuiteOptions } from '../api/selftests.js';
import { selftestCatalogue, selftestMarkdown, selftestMatrix } from '../report/selftests.js';
import { allowOnly, has, one, runOptions, type Parsed } from './args.js';
import { stderr, stdout } from './io.js';

/** The `format` of `selftests --json` (docs/schemas/selftests.schema.json). */
export const SELFTESTS_FORMAT = 'foliorace-selftests/1';

function kernelList(p: Parsed): string[] {
  const v = one(p, 'kernels');
  if (v === undefined) return [...SELFTEST_PROFILES];
  const list = v.split(',').map((k) => k.trim()).filter((k) => k !== '');
  for (const k of list) {
    if (!PROFILES.some((x) => x.name === k)) {
      throw new UsageError(`--kernels: unknown kernel profile "${k}"; known: ${PROFILES.map((x) => x.name).join(', ')}`);
    }
  }
  if (list.length === 0) throw new UsageError(`--kernels needs one or more profiles separated by commas (got "${v}")`);
  return list;
}

function suiteOptions(p: Parsed, kernels: string[]): SuiteOptions {
  const r = runOptions(p, ''); // --mode, --seed, --iterations, --duration, checked as run checks them
  const o: SuiteOptions = { kernels };
  if (r.mode === 'exhaustive' || r.mode === 'verify') throw new UsageError(`selftests runs in pct, random or free mode (--mode ${r.mode} is for run)`);
  if (r.mode !== undefined) o.mode = r.mode === 'replay' ? 'pct' : r.mode;
  if (r.seed !== undefined) o.seed = r.seed;
  if (r.iterations !== undefined) o.iterations = r.iterations;
  if (r.durationMs !== undefined) {
    o.durationMs = r.durationMs;
    o.iterations ??= 1e12; // a duration alone means: as many iterations as fit
  }
  if (o.mode === 'free' && o.durationMs === undefined) throw new UsageError('--mode free needs --duration (e.g. --duration 10s)');
  const cases = one(p, 'cases');
  if (cases !== undefined) o.filter = cases;
  return o;
}

/** Exit 0 when the model agrees with the kernel on every case and profile run, 1 otherwise. */
export async function selftests(p: Parsed, signal: AbortSignal): Promise<number> {
  allowOnly(p, ['kernels', 'cases', 'mode', 'seed', 'iterations', 'duration', 'all', 'markdown', 'json', 'debug', 'help']);
  if (p.positional.length > 0) throw new UsageError(`selftests takes no positional argument (got "${p.positional.join(' ')}"); use --cases TEXT`);
  const kernels = kernelList(p);
  const asJson = has(p, 'json');
  if (has(p, 'all') && !has(p, 'markdown')) {
    if (asJson) stdout().write(`${JSON.stringify(SELFTEST_CASES, null, 2)}\n`);
    else stdout().write(`${selftestCatalogue(kernels)}\n`);
    return 0;
  }
  const o = { ...suiteOptions(p, kernels), signal };
  const tty = !asJson && stderr().isTTY;
  const rows = await runSelftests(o, (done, total, what) => {
    if (tty) stderr().write(`\r\x1b[Kselftests ${done + 1}/${total}: ${what}`);
  });
  if (tty) stderr().write('\r\x1b[K');
  if (asJson) stdout().write(`${JSON.stringify({ format: SELFTESTS_FORMAT, kernels, mode: o.mode ?? 'pct', seed: o.seed ?? '1', rows }, null, 2)}\n`);
  else if (has(p, 'markdown')) stdout().write(`${selftestMarkdown(rows, kernels)}\n`);
  else stdout().write(`${selftestMatrix(rows, kernels)}\n`);
  return rows.every((r) => Object.values(r.cells).every((c) => c.agrees)) ? 0 : 1;
}
