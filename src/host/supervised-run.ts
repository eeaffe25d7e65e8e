// A run's CPU workers under their supervisor (watchdog.ts), from start-up to the end of their run:
// what runMachine (one plan of iterations) and a fed run (explorer.ts, one schedule at a time)
// share, so that both end the same way. However a run ends (every CPU done, the scenario's code
// threw, a worker had to be ended, a stop request) it ends as one RunEnd; foliorace's own crash is
// a CrashError.
import { Ctrl } from '../shm/layout.js';
import type { Machine } from '../shm/machine.js';
import type { PatchFile, ScenarioRef, WorkerInit } from '../cpu/protocol.js';
import type { IterationPlan } from '../cpu/iterate.js';
import { shown, type ScenarioFault } from '../cpu/scenario-fault.js';
import { importedBytes } from '../cpu/import-scenario.js';
import { CrashError, PatchError } from '../errors.js';
import type { ResolvedRun } from './options.js';
import { recycleWorkers, startWorkers, stopWorkers, type CpuWorker } from './pool.js';
import { Supervisor, type SuperviseOptions, type WorkerFault } from './watchdog.js';

/** How a run ended, beside what its machine holds. */
export interface RunEnd {
  /** The scenario's own code threw (the run stopped there). */
  fault: ScenarioFault | null;
  /** A worker had to be ended (hung, exited, out of memory, threw outside the model). */
  workerFault: WorkerFault | null;
  /** The watchdog fired: where each CPU was. */
  watchdog: string[] | null;
  /** A stop request (signal) ended the run before its planned end. */
  interrupted: boolean;
  /** Outcomes check() returned that the scenario does not declare, in order of first appearance. */
  unknownOutcomes: Record<string, number>;
}

export class SupervisedRun {
  /** Resolves when every CPU's run is over or its workers were ended; rejects with a CrashError. */
  readonly end: Promise<RunEnd>;
  /** Every worker's run resolved and none was terminated: they may serve another run (pool.ts). */
  private clean = false;

  /** When the CPUs were told to run (performance.now()): a run's --duration counts from a later moment, CPU0's start. */
  readonly startedAt = performance.now();

  private constructor(readonly sup: Supervisor, private readonly workers: readonly CpuWorker[], private readonly ref: ScenarioRef,
    readonly startupMs: number, ended: boolean, patch: PatchFile | null, crashContext: () => string) {
    this.end = (ended ? Promise.resolve(null) : sup.settle(Promise.allSettled(workers.map((w) => w.control.run())))
      .then((ran) => (ran.ended ? null : ran.value)))
      .then((ran) => {
        sup.dispose();
        const crash = ran?.find((x): x is PromiseRejectedResult => x.status === 'rejected');
        if (crash) {
          const why = crash.reason instanceof Error ? crash.reason.message : String(crash.reason);
          // a model that ran the user's patch: what broke it is more likely the patch than foliorace
          if (patch) {
            throw new PatchError(`the model crashed with patch file ${shown(patch.path)} (${patch.name}) in it: ${why} (${crashContext()})`);
          }
          throw new CrashError(`${why} (${crashContext()})`);
        }
        const ends = (ran ?? []).flatMap((x) => (x.status === 'fulfilled' ? [x.value] : []));
        this.clean = ends.length === workers.length && !sup.terminated;
        return { fault: ends.find((e) => e.fault !== null)?.fault ?? null, workerFault: sup.fault, watchdog: sup.watchdog,
          interrupted: sup.interrupted, unknownOutcomes: ends[0]?.unknownOutcomes ?? {} };
      });
    this.end.catch(() => {}); // awaited by the run's owner; a crash between a fed run's schedules waits for it there
  }

  /**
   * Starts one worker per CPU of run `r` on `machine`, loads the scenario in each (start-up, under
   * the load limit), then starts their run; a load that fails ends the run (a RunEnd of phase load).
   */
  static async start(ref: ScenarioRef, scenarioName: string, r: ResolvedRun, machine: Machine, plan: IterationPlan,
    o: Pick<SuperviseOptions, 'onProgress' | 'signal'> = {}): Promise<SupervisedRun> {
    const { sab, i32: m, L } = machine;
    const t0 = performance.now();
    const workers = startWorkers(r.cpus, undefined, r.workerMemoryMb);
    const sup = new Supervisor(workers, m, L, { cpus: r.cpus, watchdogMs: r.watchdogMs, workerMemoryMb: r.workerMemoryMb, ...o });
    const init = workerInit(ref, r, sab, plan);
    let started;
    try {
      started = await sup.settle(Promise.all(workers.map(async (w, c) => {
        await w.control.init(init(c));
        sup.loadedCpu(c);
      })));
    } catch (e) {
      sup.dispose();
      await stopWorkers(workers);
      throw e;
    }
    const startupMs = performance.now() - t0;
    sup.begin();
    return new SupervisedRun(sup, workers, ref, startupMs, started.ended, r.patch, () => `scenario ${scenarioName}, kernel ${r.profile.name}, ` +
      `mode ${r.mode}, seed ${r.seed}, iteration ${Atomics.load(m, L.CTRL + Ctrl.CUR_ITER)}`);
  }

  /** After the end (or instead of it): the workers go back to the pool if the run ended cleanly, else they are ended. */
  async release(): Promise<void> {
    this.sup.dispose();
    await (this.clean ? recycleWorkers(this.workers, importedBytes(this.ref)) : stopWorkers(this.workers));
  }
}

/** What each CPU's worker is given: the machine, the scenario, the profile and the plan. */
function workerInit(ref: ScenarioRef, r: ResolvedRun, sab: SharedArrayBuffer, plan: IterationPlan): (cpu: number) => WorkerInit {
  return (cpu) => ({
    sab, config: r.config, cpu, scenario: ref, profile: r.profile.name, patches: { ...r.profile.patches }, patch: r.patch,
    mode: r.mode, jitter: r.jitter, plan,
  });
}
