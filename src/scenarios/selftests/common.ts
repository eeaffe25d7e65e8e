// What every ported selftest case shares: its name and expectations come from the catalogue (so
// the scenario, the table in docs/selftests.md and the tests cannot drift apart), and its memory
// is set up as cow.c's do_run_with_base_page() sets it up.
import {
  defineScenario, kernel, reclaimPass, swapOut, type Cpu, type OutcomeKind, type Scenario, type ScenarioVars,
} from '../../scenario/index.js';
import { SELFTEST_CASES, SELFTEST_PROFILES, type SelftestCase } from './catalogue.js';

/** The process running the selftest, and the child it forks. */
export const PARENT = 0;
export const CHILD = 1;
/** The one page of the test: mem[0 .. pagesize). */
export const ADDR = 0;
/** memset(mem, 1, pagesize) before the test; memset(mem, 0xff, size) by the test. */
export const POPULATED = 1;
export const MODIFIED = 0xff;

export type BaseKind = 'base page' | 'swapped out base page';

/** The catalogue row of a cow.c case. */
export function cowCase(desc: string, kind: BaseKind): SelftestCase {
  const title = `${desc} ... with ${kind}`;
  const c = SELFTEST_CASES.find((x) => x.file === 'cow.c' && x.title === title);
  if (!c || c.scenario === null) throw new Error(`internal error: "${title}" is not an in-scope case of the catalogue`);
  return c;
}

/**
 * cow.c do_run_with_base_page(): a private anon page of the parent, populated by a write fault
 * (memset), then for the swapped-out kind paged out (MADV_PAGEOUT) to a synchronous device, so
 * that it lives only in its swap slot. Runs in setup (CPU0, nothing preempts).
 */
export function runWithBasePage(cpu: Cpu, kind: BaseKind): number {
  kernel.swapon(cpu, kernel.SwapDevice.SYNCHRONOUS_IO);
  const folio = kernel.user_store(cpu, PARENT, ADDR, POPULATED);
  if (kind === 'swapped out base page') swapOut(cpu, folio);
  kernel.lru_add_drain(cpu);
  return folio;
}

/** kswapd on another CPU while the test runs: two passes over the inactive lists (kit's reclaimPass). */
export function reclaimAgainst(cpu: Cpu): void {
  reclaimPass(cpu);
}

interface PortSpec<O extends string> {
  readonly c: SelftestCase;
  readonly cpus: number;
  readonly outcomes: Readonly<Record<O, OutcomeKind>>;
  setup(cpu: Cpu, vars: ScenarioVars): void;
  actor(cpu: Cpu, vars: ScenarioVars): void;
  check(cpu: Cpu, vars: ScenarioVars): O;
}

/**
 * A scenario for one selftest case: named after the case, its summary the title as printed, and
 * per profile the forbidden outcome 'found' where the real kernel fails the case, 'never' where
 * it passes (the catalogue's kernel column).
 */
export function portedCase<O extends string>(spec: PortSpec<O>): Scenario<O> {
  const { c } = spec;
  const expect = Object.fromEntries(SELFTEST_PROFILES.map((p) =>
    [p, c.kernel[p] === 'fail' ? 'found' : c.kernel[p] === 'race' ? 'window' : 'never'] as const));
  const firstPass = SELFTEST_PROFILES.findIndex((p) => c.kernel[p] === 'pass' && c.kernel['5.17'] !== 'pass');
  const fixed = firstPass > 0 ? { before: SELFTEST_PROFILES[firstPass - 1] ?? '5.17', after: SELFTEST_PROFILES[firstPass] ?? '6.17' }
    : { before: '5.17', after: '6.17' };
  return defineScenario<O>({
    name: c.scenario ?? c.title,
    summary: `${c.file}: ${c.title}`,
    seeds: [`tools/testing/selftests/mm/${c.file}: "${c.title}"`, c.basis],
    cpus: spec.cpus,
    machine: { folios: 8, cmaFolios: 0, mms: 2, ptesPerMm: 1, swapSlots: 2 },
    outcomes: spec.outcomes,
    ...fixed,
    expect,
    setup: spec.setup,
    actor: spec.actor,
    check: spec.check,
  });
}
