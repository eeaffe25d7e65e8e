// The iteration protocol every CPU's worker runs. All per-iteration synchronisation is machine
// words (no messages): CPU0 prepares an iteration and bumps GEN; every CPU runs its actor and
// counts itself in ARRIVED; CPU0 waits for all, checks the outcome and the invariants, records
// them, and prepares the next. Between actor and barrier every CPU keeps running work queued to it.
import { BenchStat, Ctrl, CpuState, Phase, TRACE_EVENT_WORDS, CPU_STRIDE } from '../shm/layout.js';
import { boot_machine } from '../kernel/boot.js';
import { simResetStamps } from '../kernel/sim-time.js';
import { SITES } from '../kernel/sites.js';
import type { OutcomeKind, Scenario } from '../scenario/define.js';
import { ScenarioVars } from '../scenario/define.js';
import { AbortIteration, type CpuContext } from './context.js';
import { Feed } from './feed.js';
import { invariantChecker } from './invariants.js';
import { userFault, type ScenarioFault, type ScenarioPhase } from './scenario-fault.js';
import { ModelSnapshot } from './snapshot.js';
import { Finding, livelockSteps } from './finding-kind.js';

export interface IterationPlan {
  /** Iterations to run at most, numbered from `firstIteration`. */
  iterations: number;
  firstIteration: number;
  /** No new iteration starts this long after CPU0 began (0: no limit). */
  durationMs: number;
  stopOnFirst: boolean;
  seedHash: number;
  /** The main thread hands over each iteration's schedule and reads each result (feed.ts). */
  fed?: boolean;
}

/** What a CPU's worker hands back at the end of a run. */
export interface CpuRunResult {
  /** This CPU's scenario code threw, and it was the first CPU to (Ctrl.USER_FAULT). */
  fault: ScenarioFault | null;
  /** CPU0: outcome names check() returned that the scenario does not declare, with their counts. */
  unknownOutcomes: Record<string, number>;
}

/** Runs CPU `ctx.id`'s side of the whole run; returns when CPU0 declares it done. */
export function runCpu(ctx: CpuContext, scenario: Scenario, plan: IterationPlan): CpuRunResult {
  const { m, L } = ctx;
  const ctrl = (w: number): number => L.CTRL + w;
  const vars = new ScenarioVars(ctx, plan.seedHash);
  const result: CpuRunResult = { fault: null, unknownOutcomes: {} };
  /** Records the user's fault (if `e` is one) and makes every CPU unwind the iteration; false: not the user's. */
  const onFault = (e: unknown, phase: ScenarioPhase): boolean => {
    const f = userFault(e);
    if (!f) return false;
    if (Atomics.compareExchange(m, ctrl(Ctrl.USER_FAULT), 0, ctx.id + 1) === 0) {
      result.fault = { phase, cpu: ctx.id, iteration: Atomics.load(m, ctrl(Ctrl.CUR_ITER)), ...f };
    }
    Atomics.store(m, ctrl(Ctrl.ABORT), 1);
    for (let c = 0; c < ctx.ncpus; c++) if (c !== ctx.id) ctx.ring(c);
    return true;
  };
  const setPhase = (p: number): void => { Atomics.store(m, L.CPU_PHASE + ctx.id * CPU_STRIDE, p); };
  try {
    setPhase(ctx.id === 0 ? Phase.SETUP : Phase.IDLE);
    const conclude = ctx.id === 0 ? concluder(ctx, scenario, vars, plan, result, onFault) : null;
    let initial: InitialState | null = null;
    let feed: Feed | null = null;
    if (conclude) {
      Atomics.store(m, ctrl(Ctrl.CUR_ITER), plan.firstIteration);
      try {
        initial = new InitialState(ctx, scenario, vars);
      } catch (e) {
        if (!onFault(e, 'setup')) throw e;
        finish(ctx);
        return result;
      }
      feed = plan.fed ? new Feed(ctx) : null;
      const first = feed ? feed.next(false) : plan.firstIteration;
      if (first < 0) { finish(ctx); return result; }
      prepare(ctx, initial, first);
    }
    setPhase(Phase.IDLE);
    let gen = 0;
    for (;;) {
      ctx.idleUntil(() => Atomics.load(m, ctrl(Ctrl.GEN)) !== gen);
      gen = Atomics.load(m, ctrl(Ctrl.GEN));
      if (Atomics.load(m, ctrl(Ctrl.DONE)) !== 0) { setPhase(Phase.DONE); return result; }
      setPhase(Phase.ACTOR);
      try {
        ctx.beginActor(Atomics.load(m, ctrl(Ctrl.CUR_ITER)), plan.seedHash);
        scenario.actor(ctx, vars);
      } catch (e) {
        if (!(e instanceof AbortIteration) && !onFault(e, 'actor')) throw e;
      }
      ctx.endActor();
      setPhase(Phase.IDLE);
      if (!conclude) continue;
      ctx.idleUntil(() => Atomics.load(m, ctrl(Ctrl.ARRIVED)) === ctx.ncpus || Atomics.load(m, ctrl(Ctrl.DONE)) !== 0);
      if (Atomics.load(m, ctrl(Ctrl.DONE)) !== 0) { setPhase(Phase.DONE); return result; }
      setPhase(Phase.CHECK);
      const judged = conclude();
      const next = feed ? feed.next(true, judged < 0) : judged;
      if (next < 0) { finish(ctx); setPhase(Phase.DONE); return result; }
      prepare(ctx, initial!, next);
      setPhase(Phase.IDLE);
    }
  } catch (e) {
    // Our own or the model's bug: stop every CPU, then let the control plane report it.
    Atomics.store(m, ctrl(Ctrl.ABORT), 1);
    finish(ctx);
    const where = ctx.lastSite >= 0 ? ` at ${SITES[ctx.lastSite]?.name ?? ctx.lastSite}` : '';
    if (e instanceof Error) e.message = `CPU${ctx.id}${where}: ${e.message}`;
    throw e;
  }
}

function finish(ctx: CpuContext): void {
  const { m, L } = ctx;
  Atomics.store(m, L.CTRL + Ctrl.DONE, 1);
  Atomics.add(m, L.CTRL + Ctrl.GEN, 1);
  for (let c = 0; c < ctx.ncpus; c++) if (c !== ctx.id) ctx.ring(c);
}

/**
 * The machine's model state right after the scenario's setup. Setup runs once, on a booted
 * machine; every later iteration restores its result word for word, which is the same state
 * (setup is deterministic: quiet, on CPU0, with no input but the machine) at a fraction of the cost.
 * The copy lives in CPU0's own memory.
 */
class InitialState extends ModelSnapshot {
  constructor(ctx: CpuContext, scenario: Scenario, vars: ScenarioVars) {
    const { m, L } = ctx;
    boot_machine(m, L);
    ctx.quiet = true;
    scenario.setup(ctx, vars);
    if (ctx.preemptCount !== 0) throw new Error(`scenario ${scenario.name}: setup() returned holding a lock`);
    simResetStamps(m, L); // setup's locks are not part of any iteration's simulated time
    super(m, L);
  }
}

/** Harness words every iteration starts from zero. */
const PER_ITERATION_CTRL = [Ctrl.ABORT, Ctrl.STEP, Ctrl.TICKET, Ctrl.ARRIVED, Ctrl.LIVELOCK] as const;

/**
 * Sets harness word `at` to `v`, storing only if it differs. A store to a line another CPU reads
 * moves the line even when the value stays (ABORT shares line 0 with DONE, which every CPU reads
 * at each iteration's start): skipping the needless ones made an empty iteration about 10% faster
 * (bench/README.md, "Free mode"). Between iterations CPU0 owns these words, but for ABORT, which the
 * supervisor may set at any time (with STOP, so that the run ends after this iteration).
 */
function reset(m: Int32Array, at: number, v: number): void {
  if (Atomics.load(m, at) !== v) Atomics.store(m, at, v);
}

/** CPU0: restore the scenario's initial state and start the iteration. */
function prepare(ctx: CpuContext, initial: InitialState, iteration: number): void {
  const { m, L } = ctx;
  initial.restore(m);
  for (let c = 0; c < ctx.ncpus; c++) m[L.BENCH_STAT + c * CPU_STRIDE + BenchStat.SIM_NOW] = 0; // owned by CPU0 now
  for (const w of PER_ITERATION_CTRL) reset(m, L.CTRL + w, 0);
  if (L.sizes.FP_LOG > 0) { reset(m, L.CTRL + Ctrl.FP_LEN, 0); reset(m, L.CTRL + Ctrl.FP_LOST, 0); }
  reset(m, L.CTRL + Ctrl.BATON, -1);
  for (let c = 0; c < ctx.ncpus; c++) reset(m, L.CPU_STATE + c * CPU_STRIDE, CpuState.RUNNING);
  if ((L.config.storeBuffer ?? 0) > 0) {
    // --memory tso: every buffer starts empty with its ring at slot 0, so that what an aborted
    // iteration left buffered never reaches the next one's memory, and a store takes the same slot
    // (a word verify records in its step's footprint) in every run of the same schedule
    for (let c = 0; c < ctx.ncpus; c++) { reset(m, L.SB_HEAD + c, 0); reset(m, L.SB_LEN + c, 0); }
  }
  Atomics.store(m, L.CTRL + Ctrl.CUR_ITER, iteration);
  // GEN first, baton second: a CPU still idling in the last iteration must not mistake the new
  // baton for a call to run work.
  Atomics.add(m, L.CTRL + Ctrl.GEN, 1);
  ctx.startIteration(iteration);
  for (let c = 1; c < ctx.ncpus; c++) ctx.ring(c);
}

/**
 * CPU0's end-of-iteration step: judge the iteration, count it, keep the first failure's trace and
 * schedule. Returns the next iteration's number, or -1 when the run is over.
 */
function concluder(ctx: CpuContext, scenario: Scenario, vars: ScenarioVars, plan: IterationPlan, result: CpuRunResult,
  onFault: (e: unknown, phase: ScenarioPhase) => boolean): () => number {
  const { m, L } = ctx;
  const ctrl = (w: number): number => L.CTRL + w;
  const names = Object.keys(scenario.outcomes);
  const kinds = Object.values(scenario.outcomes) as OutcomeKind[];
  const invariants = invariantChecker(m, L, ctx.k);
  // --duration by this thread's clock of sub-millisecond resolution (Date.now()'s whole
  // milliseconds ended a run up to 1 ms early)
  const deadline = plan.durationMs > 0 ? performance.now() + plan.durationMs : 0;
  let simTotal = 0, simCount = 0;
  return () => {
    const iteration = Atomics.load(m, ctrl(Ctrl.CUR_ITER));
    simTotal += slowestClock(ctx); // before the check, which runs on CPU0 and may take locks
    Atomics.store(m, ctrl(Ctrl.SIM_MEAN_NS), Math.round(simTotal / ++simCount));
    const steps = Atomics.load(m, ctrl(Ctrl.STEP));
    if (steps > Atomics.load(m, ctrl(Ctrl.PCT_K))) Atomics.store(m, ctrl(Ctrl.PCT_K), steps);
    let kind: number = Finding.NONE;
    let code = 0, a0 = 0, a1 = 0, a2 = 0;
    let name: string | null = null;
    if (Atomics.load(m, ctrl(Ctrl.USER_FAULT)) === 0 && Atomics.load(m, ctrl(Ctrl.ABORT)) === 0) {
      ctx.quiet = true;
      try {
        name = String(scenario.check(ctx, vars));
      } catch (e) {
        if (!onFault(e, 'check')) throw e;
      }
    }
    if (Atomics.load(m, ctrl(Ctrl.USER_FAULT)) !== 0) {
      kind = Finding.ERROR;
      code = Atomics.load(m, ctrl(Ctrl.USER_FAULT)) - 1;
    } else if (name === null && Atomics.load(m, ctrl(Ctrl.LIVELOCK)) !== 0) {
      Atomics.add(m, ctrl(Ctrl.LIVELOCKS), 1);
      kind = Finding.LIVELOCK;
      code = Atomics.load(m, ctrl(Ctrl.LIVELOCK)) - 1;
      a0 = livelockSteps(L.config.scheduleCapacity);
    } else if (name === null) {
      Atomics.add(m, ctrl(Ctrl.DEADLOCKS), 1);
      kind = Finding.DEADLOCK;
    } else {
      const o = names.indexOf(name);
      if (o >= 0) Atomics.add(m, L.OUTCOME_COUNT + o, 1);
      else {
        // jcstress's UNKNOWN: counted under its own name (CPU0's memory; handed back at the end)
        const unknown = result.unknownOutcomes;
        if (!(name in unknown)) unknown[name] = 0;
        unknown[name]!++;
        kind = Finding.UNKNOWN;
        code = Object.keys(unknown).indexOf(name);
      }
      if (o >= 0 && kinds[o] === 'forbidden') { kind = Finding.FORBIDDEN; code = o; }
      const v = invariants();
      if (v) {
        Atomics.add(m, ctrl(Ctrl.VIOLATIONS), 1);
        if (kind === Finding.NONE) { kind = Finding.VIOLATION; code = v.code; a0 = v.subject; a1 = v.a; a2 = v.b; }
      }
    }
    if (kind !== Finding.NONE) {
      if (Atomics.load(m, ctrl(Ctrl.FIRST_FAIL_ITER)) < 0) {
        capture(ctx, steps);
        for (const [w, v] of [[Ctrl.FAIL_KIND, kind], [Ctrl.FAIL_CODE, code], [Ctrl.FAIL_ARG0, a0],
          [Ctrl.FAIL_ARG1, a1], [Ctrl.FAIL_ARG2, a2], [Ctrl.FIRST_FAIL_ITER, iteration]] as const) {
          Atomics.store(m, ctrl(w), v);
        }
      }
    }
    const done = Atomics.add(m, ctrl(Ctrl.ITER), 1) + 1;
    // A livelock ends a run (not a fed one: its schedules are the main thread's to choose): its
    // iteration ran to the step bound, a thousand times an ordinary one's length, and it is found
    // and replayable; more of them would only cost that again (docs/cli.md, "Every run ends").
    const over = done >= plan.iterations || Atomics.load(m, ctrl(Ctrl.STOP)) !== 0 || kind === Finding.ERROR ||
      (kind === Finding.LIVELOCK && plan.fed !== true) ||
      (plan.stopOnFirst && kind !== Finding.NONE) || (deadline > 0 && performance.now() >= deadline);
    return over ? -1 : iteration + 1;
  };
}

/**
 * The iteration's simulated length: its slowest CPU's clock. Every CPU arrived (an Atomics add
 * after its last charge), so CPU0 reads the clocks it owns again.
 */
function slowestClock(ctx: CpuContext): number {
  let max = 0;
  for (let c = 0; c < ctx.ncpus; c++) max = Math.max(max, ctx.m[ctx.L.BENCH_STAT + c * CPU_STRIDE + BenchStat.SIM_NOW]!);
  return max;
}

/** Copies the iteration's traces, schedule, CPU sites and reference holders into the FAIL_* regions. */
function capture(ctx: CpuContext, steps: number): void {
  const { m, L } = ctx;
  const words = L.config.traceCapacity * TRACE_EVENT_WORDS;
  for (let c = 0; c < ctx.ncpus; c++) {
    Atomics.store(m, L.FAIL_TRACE_LEN + c, Atomics.load(m, L.TRACE_LEN + c * CPU_STRIDE));
    Atomics.store(m, L.FAIL_SITES + c, Atomics.load(m, L.CPU_SITE + c * CPU_STRIDE));
    m.copyWithin(L.FAIL_TRACE + c * words, L.TRACE + c * words, L.TRACE + (c + 1) * words);
  }
  m.copyWithin(L.FAIL_LOG, L.SCHED_LOG, L.SCHED_LOG + steps);
  m.copyWithin(L.FAIL_REF_HOLDERS, L.OBS_REF_HOLDERS, L.OBS_REF_HOLDERS + L.sizes.OBS_REF_HOLDERS);
  Atomics.store(m, L.CTRL + Ctrl.FAIL_LOG_LEN, steps);
}
