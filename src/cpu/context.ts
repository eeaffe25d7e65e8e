// The runner's implementation of the model's Cpu context: preemption points, tracing, blocking and
// waking, for free mode (real parallelism) and the controlled modes (one CPU at a time, a baton).
//
// Waiting protocol (both modes): a CPU that waits for anything but a model word sleeps on its own
// CPU_DOORBELL word. Whoever changes what it waits for (baton handoff, iteration start, arrival of
// the last CPU, queued work, abort) first changes that state, then bumps the doorbell, then
// notifies. The waiter reads the doorbell *before* re-checking the state and passes that value to
// Atomics.wait, so a bump between its check and its wait makes the wait return at once: no lost
// wake-up.
import { CapacityError } from '../shm/machine.js';
import { Ctrl, CpuState, DECISION_FLAG, FLUSH_FLAG, scheduledAgents, TRACE_EVENT_WORDS, type Layout, CPU_STRIDE } from '../shm/layout.js';
import { Access, load, type AccessHook } from '../shm/access.js';
import { buffered, flushMask, StoreBuffer } from '../shm/store-buffer.js';
import { FootprintRecorder } from './footprint-recorder.js';
import { SpinPolicy } from './spin.js';
import type { Cpu } from '../kernel/cpu.js';
import type { KernelSwitches } from '../kernel/profile.js';
import { S, type SiteId } from '../kernel/sites.js';
import { process_one_work } from '../kernel/workqueue.js';
import { nextBelow, seedPrng } from '../sched/prng.js';
import type { SchedState, Strategy } from '../sched/strategy.js';
import { LIVELOCK_STEPS, livelockSteps } from './finding-kind.js';

/** Thrown inside a CPU's actor to unwind an iteration that cannot finish (deadlock, watchdog). */
export class AbortIteration extends Error {
  override readonly name = 'AbortIteration';
}

/** Free mode polls ABORT at one preemption point in this many (a power of two). */
const ABORT_EVERY = 64;

export interface CpuContextOptions {
  m: Int32Array;
  L: Layout;
  id: number;
  k: KernelSwitches;
  strategy: Strategy | null;
  seedHash: number;
  /** free mode: maximum spin of a seeded delay at a preemption point (0 = none). */
  jitter: number;
}

export class CpuContext implements Cpu {
  readonly m: Int32Array;
  /** Sees every model access first (shm/access.ts): verify mode's footprint recorder, the store buffer; null otherwise. */
  hook: AccessHook | null = null;
  /** Verify mode (a controlled run whose machine has footprint regions): records each step's accesses. */
  private readonly recorder: FootprintRecorder | null;
  /**
   * --memory tso: this CPU's store buffer (also `hook`). Null under sc, where none of the code
   * below that tests it does anything.
   */
  private readonly sb: StoreBuffer | null;
  /** free mode, --memory tso: the seeded commit rule's generator (owned by this CPU). */
  private readonly flushPrng = new Int32Array(4);
  readonly L: Layout;
  readonly id: number;
  readonly ncpus: number;
  readonly k: KernelSwitches;
  preemptCount = 0;
  /** Setup and check phases: no preemption points, no trace (the other CPUs are parked). */
  quiet = true;
  /** The last preemption point passed (crash reports). Owned by this CPU. */
  lastSite = -1;
  private inWork = false;
  private ticket = 0;
  private traceLen = 0;
  private truncated = false;
  private readonly strategy: Strategy | null;
  private readonly sched: SchedState;
  private readonly jitter: number;
  private readonly jitterPrng = new Int32Array(4); // owned by this CPU, not shared
  private readonly cap: number;
  /** How long a wait spins before it sleeps (cpu/spin.ts). */
  private readonly spinner: SpinPolicy;
  /** Word of this CPU's WORK_REQ (queued drain work), read at every preemption point. */
  private readonly workReqAt: number;
  /**
   * The WORK_REQ value this CPU last started: a copy of its own WORK_START, which only it writes,
   * so the pending check costs one Atomics.load instead of two.
   */
  private workSeen = 0;
  /** Free mode: preemption points passed, to check ABORT at one in ABORT_EVERY. */
  private preempts = 0;
  /**
   * Preemption points passed in a row while no other CPU could run (a livelock at livelockSteps()).
   * Controlled: counted at each point. Free: counted in steps of ABORT_EVERY at the points that
   * poll ABORT (othersDone()). Owned by this CPU.
   */
  private alone = 0;
  private readonly livelockAt: number;
  /** Between beginActor() and endActor(): only an actor can livelock (the drain bench runs none). Owned by this CPU. */
  private inActor = false;

  constructor(o: CpuContextOptions) {
    this.m = o.m;
    this.L = o.L;
    this.id = o.id;
    this.ncpus = o.L.config.cpus;
    this.k = o.k;
    this.strategy = o.strategy;
    this.sched = { m: o.m, L: o.L, agents: scheduledAgents(o.L.config), seedHash: o.seedHash };
    this.jitter = o.jitter;
    this.cap = o.L.config.traceCapacity;
    this.spinner = new SpinPolicy(this.ncpus, o.strategy !== null);
    this.workReqAt = o.L.WORK_REQ + o.id * CPU_STRIDE;
    this.recorder = o.strategy !== null && (o.L.config.footprints ?? 0) > 0 ? new FootprintRecorder(o.L, this) : null;
    // --memory tso: the store buffer wraps the recorder, which sees what reaches memory
    this.sb = (o.L.config.storeBuffer ?? 0) > 0 ? new StoreBuffer(o.L, o.id, this.recorder) : null;
    this.hook = this.sb ?? this.recorder;
    // A drain is part of this CPU's step (its locked instruction or fence), not a step of its own.
    if (this.sb !== null) this.sb.onDrain = (addr) => { this.trace(S.store_buffer_flush, this.id, addr); this.wake(addr); };
    this.livelockAt = o.strategy === null ? LIVELOCK_STEPS : livelockSteps(o.L.config.scheduleCapacity);
  }

  // ── the model's hooks ──

  preempt(site: SiteId): void {
    if (this.quiet) return;
    this.lastSite = site;
    if (this.preemptCount === 0 && !this.inWork && this.workPending()) this.runWork();
    if (this.strategy === null) {
      // A CPU looping in the model (a livelock) still passes preemption points: the watchdog's
      // ABORT reaches it here. Atomics.load is a call in V8, so only every ABORT_EVERY-th time.
      if ((++this.preempts & (ABORT_EVERY - 1)) === 0) {
        if (Atomics.load(this.m, this.L.CTRL + Ctrl.ABORT) !== 0) throw new AbortIteration();
        this.alone = this.othersDone() ? this.alone + ABORT_EVERY : 0;
        if (this.alone >= this.livelockAt) this.livelock();
      }
      // --memory tso, free mode: the seeded commit rule: each preemption point flushes this CPU's
      // oldest buffered store with probability 1/2 (a store waits a geometric number of points).
      if (this.sb !== null && buffered(this.m, this.L, this.id) > 0 && nextBelow(this.flushPrng, 0, 2) === 0) this.flushStep(this.id);
      this.freeStep(site);
      if (this.jitter > 0 && (nextBelow(this.jitterPrng, 0, 8) === 0)) this.spinFor(nextBelow(this.jitterPrng, 0, this.jitter));
      return;
    }
    const runnable = this.runnableMask();
    // alone: no other CPU, nor another CPU's store buffer, can run (its own buffer's flushes free no one)
    this.alone = (runnable & ~(1 << (this.ncpus + this.id))) === 1 << this.id ? this.alone + 1 : 0;
    if (this.alone >= this.livelockAt) this.livelock();
    const next = this.decide(runnable);
    if (next !== this.id) {
      this.handoff(next);
      this.waitBaton(true);
    }
    this.pass();
  }

  trace(site: SiteId, folio: number, value: number): void {
    if (!this.quiet) this.record(site, folio, value);
  }

  block(addr: number, val: number, sleeping: boolean, site: SiteId): void {
    const { m, L } = this;
    if (Atomics.load(m, addr) !== val) return;
    if (this.quiet) throw new Error(`model bug: CPU${this.id} would block during setup or check (word ${addr})`);
    if (sleeping && this.preemptCount > 0) throw new Error(`model bug: CPU${this.id} sleeps in atomic context (preempt_count ${this.preemptCount})`);
    // Verify under tso counts on a CPU never being woken by the flush of its own store
    // (shm/footprint.ts dependent()): a wait reads memory, and the CPU would see its own buffered
    // store to the word first (forwarding), so the model never waits on such a word.
    if (this.recorder !== null && this.sb?.holds(m, addr)) {
      throw new Error(`model bug: CPU${this.id} waits on word ${addr}, which its own store buffer holds (verify cannot order it)`);
    }
    Atomics.store(m, L.CPU_SITE + this.id * CPU_STRIDE, site);
    let spins = 0;
    /** Controlled: picked after blocking, and no step passed since (a pick makes the next step this CPU's). */
    let picked = false;
    for (;;) {
      if (this.strategy === null && this.sb !== null) this.drainSteps(); // a waiting CPU's stores still reach memory
      if (Atomics.load(m, addr) !== val) { this.spinner.ended(spins); this.resumed(site, addr); return; }
      if (Atomics.load(m, L.CTRL + Ctrl.ABORT) !== 0) throw new AbortIteration();
      if (sleeping && !this.inWork && this.workPending()) {
        // Picked to run its work while it waits: that is this CPU's step, as when picked while idle.
        if (picked) { this.pass(); picked = false; }
        this.runWork();
        continue;
      }
      if (this.strategy === null) {
        if (this.spinner.spinOn(++spins)) continue;
        // Timed: a sleeping waiter must also notice work queued to it, which bumps its doorbell, not `addr`.
        this.sleepOn(addr, val, sleeping ? 0.2 : 2);
        continue;
      }
      Atomics.store(m, L.CPU_WAIT_ADDR + this.id * CPU_STRIDE, addr);
      Atomics.store(m, L.CPU_WAIT_VAL + this.id * CPU_STRIDE, val);
      Atomics.store(m, L.CPU_WAIT_SLEEP + this.id * CPU_STRIDE, sleeping ? 1 : 0);
      Atomics.store(m, L.CPU_STATE + this.id * CPU_STRIDE, CpuState.BLOCKED);
      const next = this.decide(this.runnableMask());
      if (next < 0) { this.deadlock(); throw new AbortIteration(); }
      this.handoff(next);
      this.waitBaton(true);
      picked = true;
      Atomics.store(m, L.CPU_STATE + this.id * CPU_STRIDE, CpuState.RUNNING);
    }
  }

  contended(): void {
    // Free mode: re-ticket the preemption point just passed, so the recorded order puts this
    // failed attempt after the winner's success. (Controlled modes need nothing: one CPU runs.)
    if (this.strategy !== null || this.quiet || this.traceLen === 0 || this.truncated) return;
    const at = this.L.TRACE + (this.id * this.cap + this.traceLen - 1) * TRACE_EVENT_WORDS;
    if ((this.m[at + 1]! & DECISION_FLAG) === 0) return;
    this.ticket = Atomics.add(this.m, this.L.CTRL + Ctrl.TICKET, 1);
    this.m[at] = this.ticket;
  }

  /**
   * A blocked CPU goes on: that is a step of the schedule, like passing a preemption point, so that
   * what it does next is ordered after what unblocked it (traces, diagrams, replays).
   */
  private resumed(site: SiteId, addr: number): void {
    if (this.strategy === null) { this.freeStep(site); return; }
    this.pass();
    // the step goes on from the change it waited for: its read of the word is part of it
    this.recorder?.note(this.m, addr, Access.ONCE, false);
  }

  /** Free mode: a schedule step takes the next global ticket and is recorded as a decision event. */
  private freeStep(site: SiteId): void {
    this.ticket = Atomics.add(this.m, this.L.CTRL + Ctrl.TICKET, 1);
    this.record(site | DECISION_FLAG, -1, 0);
  }

  wake(addr: number): void {
    if (this.strategy === null && Atomics.load(this.m, this.L.CTRL + Ctrl.WAITERS) > 0) Atomics.notify(this.m, addr);
  }

  // ── iteration protocol (cpu/iterate.ts) ──

  /** Starts this CPU's part of iteration `iteration`. */
  beginActor(iteration: number, seedHash: number): void {
    this.running(true);
    this.preemptCount = 0;
    this.inWork = false;
    this.traceLen = 0;
    this.truncated = false;
    this.workSeen = 0; // the machine's WORK_* words were reset with the rest of its state
    this.alone = 0;
    this.inActor = true;
    this.m[this.L.TRACE_LEN + this.id * CPU_STRIDE] = 0;
    this.ticket = 0;
    if (this.sb !== null) seedPrng(this.flushPrng, 0, seedHash, iteration, this.ncpus + this.id + 2);
    if (this.strategy === null) {
      if (this.jitter > 0) seedPrng(this.jitterPrng, 0, seedHash, iteration, this.id + 2);
    } else {
      this.waitBaton(true);
      this.pass();
    }
  }

  /** Ends this CPU's actor: publishes its trace, gives up the baton, counts its arrival. */
  endActor(): void {
    const { m, L } = this;
    this.preemptCount = 0;
    this.inActor = false;
    if (this.strategy !== null && Atomics.load(m, L.CTRL + Ctrl.ABORT) === 0) {
      Atomics.store(m, L.CPU_STATE + this.id * CPU_STRIDE, CpuState.IDLE);
      this.yieldIdle();
    }
    this.running(false);
    Atomics.add(m, L.CTRL + Ctrl.ARRIVED, 1);
    this.ring(0);
  }

  /**
   * Idles until `done()` holds, running work queued to this CPU meanwhile (the kworker of an idle
   * CPU). In controlled modes the CPU runs only while it holds the baton.
   */
  idleUntil(done: () => boolean): void {
    const { m, L } = this;
    let spins = 0;
    for (;;) {
      if (done()) { this.spinner.ended(spins); return; }
      if (this.strategy === null) {
        if (this.workPending()) { this.running(true); this.runWork(); this.running(false); spins = 0; continue; }
      } else if (Atomics.load(m, L.CTRL + Ctrl.BATON) === this.id && Atomics.load(m, L.CTRL + Ctrl.ABORT) === 0 &&
          Atomics.load(m, L.CPU_STATE + this.id * CPU_STRIDE) === CpuState.IDLE) {
        // Picked while idle: to run work queued to this CPU.
        this.running(true);
        Atomics.store(m, L.CPU_STATE + this.id * CPU_STRIDE, CpuState.RUNNING);
        this.pass();
        if (this.workPending()) this.runWork();
        Atomics.store(m, L.CPU_STATE + this.id * CPU_STRIDE, CpuState.IDLE);
        this.yieldIdle();
        this.running(false);
        continue;
      }
      if (this.spinner.spinOn(++spins)) continue;
      if (this.napUnless(done)) return;
    }
  }

  /**
   * Sleeps until `done()` holds, without spinning first: for a wait that ends only after another
   * thread has worked (a fed run's next schedule, which the main thread reads the last one's result
   * and computes first), where spinning would take a core that thread needs. ring() wakes it.
   */
  sleepUntil(done: () => boolean): void {
    while (!this.napUnless(done));
  }

  /** CPU0, before an iteration: seed the strategy and hand the baton to the first CPU. */
  startIteration(iteration: number): void {
    if (this.strategy === null) return;
    this.strategy.beginIteration(this.sched, iteration);
    const all = (1 << this.ncpus) - 1;
    Atomics.store(this.m, this.L.CTRL + Ctrl.BATON, this.strategy.pick(this.sched, all, 0, 0));
  }

  /** Bumps CPU `c`'s doorbell and wakes it. */
  ring(c: number): void {
    const at = this.L.CPU_DOORBELL + c * CPU_STRIDE;
    Atomics.add(this.m, at, 1);
    // A sleeper counts itself in WAITERS before it waits on the bell value it read; if this load
    // comes first, its wait sees the bumped bell and returns at once (all three are seq_cst).
    if (Atomics.load(this.m, this.L.CTRL + Ctrl.WAITERS) > 0) Atomics.notify(this.m, at);
  }

  // ── internals ──

  private record(siteWord: number, folio: number, value: number): void {
    const { m, L } = this;
    if (this.traceLen >= this.cap) { this.truncated = true; m[L.TRACE_LEN + this.id * CPU_STRIDE] = this.cap + 1; return; }
    // TRACE and TRACE_LEN are owned by this CPU during the iteration (plain stores). CPU0 reads them
    // after the barrier; every event precedes this CPU's last Atomics write of the iteration (its
    // ARRIVED increment, or the WORK_DONE store of drain work it ran), which orders them for CPU0.
    const at = L.TRACE + (this.id * this.cap + this.traceLen) * TRACE_EVENT_WORDS;
    m[at] = this.ticket;
    m[at + 1] = siteWord;
    m[at + 2] = folio;
    m[at + 3] = value;
    m[L.TRACE_LEN + this.id * CPU_STRIDE] = ++this.traceLen;
  }

  /** Whether work was queued to this CPU since it last started some: a read of its WORK_REQ, part of the step. */
  private workPending(): boolean {
    return load(this, this.workReqAt) > this.workSeen;
  }

  private runWork(): void {
    this.inWork = true;
    try { process_one_work(this); } finally { this.inWork = false; }
    this.workSeen = Atomics.load(this.m, this.L.WORK_START + this.id * CPU_STRIDE);
  }

  private spinFor(n: number): void {
    for (let i = 0; i < n; i++) Atomics.load(this.m, this.L.CTRL + Ctrl.ABORT);
  }

  /**
   * Whether `done()` holds; if not, sleeps once on this CPU's doorbell (until ring(), at most 50 ms)
   * and returns false. The bell is read before `done()`: a ring that makes it hold after that check
   * has changed the bell, and the sleep returns at once.
   */
  private napUnless(done: () => boolean): boolean {
    const at = this.L.CPU_DOORBELL + this.id * CPU_STRIDE;
    const bell = Atomics.load(this.m, at);
    if (done()) return true;
    this.sleepOn(at, bell, 50);
    return false;
  }

  /** Sleeps up to `ms` while `addr` holds `val`, counted in WAITERS so that wake() notifies it. */
  sleepOn(addr: number, val: number, ms: number): void {
    const w = this.L.CTRL + Ctrl.WAITERS;
    Atomics.add(this.m, w, 1);
    Atomics.wait(this.m, addr, val, ms);
    Atomics.sub(this.m, w, 1);
  }

  /** Controlled: this CPU (or pseudo-CPU `who`, a store buffer's flush) passes a preemption point; the schedule records it. */
  private pass(who = this.id): void {
    const { m, L } = this;
    const step = Atomics.load(m, L.CTRL + Ctrl.STEP);
    if (step >= L.config.scheduleCapacity) {
      throw new CapacityError('scheduleCapacity', `an iteration passed ${step} preemption points (livelock?)`);
    }
    Atomics.store(m, L.SCHED_LOG + step, who);
    this.recorder?.beginStep(m, step);
    Atomics.store(m, L.CTRL + Ctrl.STEP, step + 1);
    this.ticket = step;
  }

  /** Controlled: the CPUs that may run now. */
  private runnableMask(): number {
    const { m, L } = this;
    let mask = 0;
    for (let c = 0; c < this.ncpus; c++) {
      const st = Atomics.load(m, L.CPU_STATE + c * CPU_STRIDE);
      let ok: boolean;
      if (st === CpuState.RUNNING) ok = true;
      else if (st === CpuState.BLOCKED) {
        ok = Atomics.load(m, Atomics.load(m, L.CPU_WAIT_ADDR + c * CPU_STRIDE)) !== Atomics.load(m, L.CPU_WAIT_VAL + c * CPU_STRIDE) ||
          (Atomics.load(m, L.CPU_WAIT_SLEEP + c * CPU_STRIDE) === 1 && this.pendingOn(c));
      } else ok = this.pendingOn(c);
      if (ok) mask |= 1 << c;
    }
    return this.sb === null ? mask : mask | flushMask(this.m, this.L);
  }

  private pendingOn(c: number): boolean {
    return Atomics.load(this.m, this.L.WORK_REQ + c * CPU_STRIDE) > Atomics.load(this.m, this.L.WORK_START + c * CPU_STRIDE);
  }

  private handoff(next: number): void {
    Atomics.store(this.m, this.L.CTRL + Ctrl.BATON, next);
    if (next !== this.id) this.ring(next);
  }

  private waitBaton(inActor: boolean): void {
    const { m, L } = this;
    let spins = 0;
    for (;;) {
      if (Atomics.load(m, L.CTRL + Ctrl.BATON) === this.id) { this.spinner.ended(spins); return; }
      if (inActor && Atomics.load(m, L.CTRL + Ctrl.ABORT) !== 0) throw new AbortIteration();
      if (this.spinner.spinOn(++spins)) continue;
      if (this.napUnless(() => Atomics.load(m, L.CTRL + Ctrl.BATON) === this.id)) return;
    }
  }

  /** Controlled, this CPU idle: hand the baton on, or end the iteration's scheduling. */
  private yieldIdle(): void {
    const { m, L } = this;
    const next = this.decide(this.runnableMask());
    if (next >= 0) {
      this.handoff(next);
      return;
    }
    for (let c = 0; c < this.ncpus; c++) {
      if (Atomics.load(m, L.CPU_STATE + c * CPU_STRIDE) === CpuState.BLOCKED) { this.deadlock(); return; }
    }
    Atomics.store(m, L.CTRL + Ctrl.BATON, -1);
  }

  // ── --memory tso: flush steps of the store buffers (shm/store-buffer.ts) ──

  /**
   * Controlled: the strategy's choice among `runnable` (-1 when it is empty). A flush step it
   * picks (pseudo-CPU ncpus + c: CPU c's oldest store reaches memory) is taken here, by this CPU,
   * and the choice is made again. Under sc the strategy only ever picks a CPU.
   */
  private decide(runnable: number): number {
    for (;;) {
      if (runnable === 0) return -1;
      const next = this.strategy!.pick(this.sched, runnable, this.id, Atomics.load(this.m, this.L.CTRL + Ctrl.STEP));
      if (next < this.ncpus) return next;
      this.flushStep(next - this.ncpus);
      runnable = this.runnableMask();
    }
  }

  /** The flush of CPU `c`'s oldest buffered store, taken by this CPU: a schedule step, applied and traced. */
  private flushStep(c: number): void {
    let flags = FLUSH_FLAG;
    if (this.strategy !== null) this.pass(this.ncpus + c);
    else {
      this.ticket = Atomics.add(this.m, this.L.CTRL + Ctrl.TICKET, 1);
      flags |= DECISION_FLAG;
    }
    const quiet = this.quiet;
    this.quiet = false; // a flush taken while this CPU idles is a step all the same: verify records its accesses
    const addr = this.sb!.flushOf(this.m, c);
    this.quiet = quiet;
    this.record(S.store_buffer_flush | flags, c, addr);
    this.wake(addr);
  }

  /** Free mode: every store this CPU buffered reaches memory, one flush step each. */
  private drainSteps(): void {
    while (buffered(this.m, this.L, this.id) > 0) this.flushStep(this.id);
  }

  /**
   * This CPU starts or stops running model code (its actor, or work while idle): preemption points
   * and the store buffer count only meanwhile. In free mode no other CPU flushes this CPU's
   * buffer, so it drains when the CPU stops.
   */
  private running(on: boolean): void {
    if (!on && this.sb !== null && this.strategy === null) this.drainSteps();
    this.quiet = !on;
    if (this.sb !== null) this.sb.active = on;
  }

  /**
   * This CPU passed livelockSteps() preemption points while every other CPU was finished or
   * blocked (free mode: finished), so nothing but itself could change what it waits for: it loops
   * without progress.
   * Record it, with where it is, and make every CPU unwind (cpu/finding-kind.ts).
   */
  private livelock(): never {
    const { m, L } = this;
    Atomics.store(m, L.CPU_SITE + this.id * CPU_STRIDE, this.lastSite);
    Atomics.store(m, L.CTRL + Ctrl.LIVELOCK, this.id + 1);
    this.deadlock();
    throw new AbortIteration();
  }

  /**
   * Free mode: whether, in this CPU's actor, every other CPU has finished its actor (ARRIVED, which
   * only grows within an iteration, counts all of them) and has no drain work queued or running
   * (WORK_REQ = WORK_DONE). From such a point on only this CPU changes the machine (an idle CPU
   * runs only the work this CPU queues and waits for, as in controlled modes, where that work is
   * not counted either): the execution is the one a controlled run would have with this CPU alone,
   * so the same bound makes it a livelock. Atomics loads: the words are other CPUs'.
   */
  private othersDone(): boolean {
    const { m, L } = this;
    if (!this.inActor || this.inWork || Atomics.load(m, L.CTRL + Ctrl.ARRIVED) !== this.ncpus - 1) return false;
    for (let c = 0; c < this.ncpus; c++) {
      if (c !== this.id && Atomics.load(m, L.WORK_REQ + c * CPU_STRIDE) !== Atomics.load(m, L.WORK_DONE + c * CPU_STRIDE)) return false;
    }
    return true;
  }

  /** Controlled: every unfinished CPU is blocked. Record it and make every CPU unwind. */
  private deadlock(): void {
    const { m, L } = this;
    Atomics.store(m, L.CTRL + Ctrl.ABORT, 1);
    Atomics.store(m, L.CTRL + Ctrl.BATON, -1);
    for (let c = 0; c < this.ncpus; c++) if (c !== this.id) this.ring(c);
  }
}
