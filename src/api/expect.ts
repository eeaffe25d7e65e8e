// expectScenario: a scenario's expectations as a test. Runs it under each named kernel profile in
// pct mode (seeded, a fixed number of iterations) and in free mode (a fixed time), and fails with
// one table when a profile that should show the forbidden outcome does not, or one that should
// never show it does. The rates behind it are those of foliorace's scheduler on this machine.
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Expectation } from '../scenario/define.js';
import { formatTable } from '../report/table.js';
import { ratesNote } from '../report/rates-note.js';
import { findings } from '../report/report.js';
import { runScenario } from './run.js';
import { kernelWithPatch, type RunOptions } from '../host/options.js';
import { provideRunApi } from '../cpu/import-scenario.js';

export interface ExpectBudget {
  /** pct iterations per profile [5,000]; 0: no pct run. */
  pctIterations?: number;
  /** free-mode milliseconds per profile [1,000]; 0: no free run. */
  freeMs?: number;
  /** Seed of every run ['1']. */
  seed?: string;
}

export interface ExpectResult {
  kernel: string;
  mode: 'pct' | 'free';
  iterations: number;
  /** Iterations with a forbidden or unknown outcome, an invariant violation or a deadlock. */
  found: number;
  expected: Expectation;
}

/**
 * Runs the scenario in `file` (a path, or a URL such as `new URL('../runner/race.ts', import.meta.url)`)
 * under each profile of `expectations`: 'found' holds if some run finds a forbidden outcome,
 * 'never' if none does, 'window' is only reported. A profile may carry a patch file, relative to
 * the scenario file: `{ '6.10': 'found', '6.10+./fix.ts': 'never' }`. Throws an Error naming every
 * profile that disagrees; resolves to every run's result otherwise.
 */
export async function expectScenario(file: string | URL, expectations: Readonly<Record<string, Expectation>>,
  budget: ExpectBudget = {}): Promise<ExpectResult[]> {
  const path = file instanceof URL || file.startsWith('file:') ? fileURLToPath(file) : isAbsolute(file) ? file : resolve(file);
  const pct = budget.pctIterations ?? 5000;
  const freeMs = budget.freeMs ?? 1000;
  const results: ExpectResult[] = [];
  let typecheck = true;
  for (const [kernel, expected] of Object.entries(expectations)) {
    for (const mode of ['pct', 'free'] as const) {
      if ((mode === 'pct' ? pct : freeMs) <= 0) continue;
      const { kernel: profile, patchFile } = kernelWithPatch(kernel);
      const o: RunOptions = { scenario: path, kernel: profile!, mode, seed: budget.seed ?? '1', out: null, typecheck };
      if (patchFile !== undefined) {
        o.patchFile = resolve(dirname(path), patchFile);
        o.typecheck = true; // a clean check is remembered (typecheck.ts): the scenario's costs little again
      }
      if (mode === 'pct') o.iterations = pct;
      else o.durationMs = freeMs;
      typecheck = false;
      const r = await runScenario(o);
      results.push({ kernel, mode, iterations: r.iterations, found: findings(r), expected });
    }
  }
  const wrong = Object.entries(expectations).filter(([kernel, expected]) => {
    const found = results.some((r) => r.kernel === kernel && r.found > 0);
    return (expected === 'found' && !found) || (expected === 'never' && found);
  }).map(([kernel]) => kernel);
  if (wrong.length > 0) {
    const table = formatTable([['kernel', 'mode', 'iterations', 'found', 'expected'],
      ...results.map((r) => [r.kernel, r.mode, String(r.iterations), String(r.found), `${r.expected}${wrong.includes(r.kernel) ? '  ✗' : ''}`])]);
    throw new Error(`${path}: not as expected under ${wrong.join(', ')} ` +
      `(found: some run had a forbidden outcome; ${ratesNote('counts')})\n${table}`);
  }
  return results;
}

provideRunApi({ expectScenario });
