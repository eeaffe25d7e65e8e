// The context every modelled kernel function takes first: one simulated CPU.
import type { AccessHook, Accessor } from '../shm/access.js';
import type { Layout } from '../shm/layout.js';
import type { KernelSwitches } from './profile.js';
import type { SiteId } from './sites.js';

/**
 * One simulated CPU as the model sees it. The runner implements the scheduling hooks for the chosen
 * exploration mode; the model only calls them.
 */
export interface Cpu extends Accessor {
  /**
   * The machine (one Int32Array over the SharedArrayBuffer) and its region bases. The model reads
   * and writes its words only through shm/access.ts, which passes each access to `hook` first when
   * there is one (footprints in verify mode); null in free mode and the sampling modes.
   */
  readonly m: Int32Array;
  readonly hook: AccessHook | null;
  readonly L: Layout;
  /** This CPU's number and how many CPUs are online. */
  readonly id: number;
  readonly ncpus: number;
  /** The kernel profile's switches, resolved once per run. */
  readonly k: KernelSwitches;
  /**
   * preempt_count: spinlocks and local_locks this CPU holds. Owned by this CPU (never shared).
   * While it is non-zero the CPU does not run queued per-CPU work.
   */
  preemptCount: number;
  /** A preemption point before a visible operation: the only place a CPU may be switched out. */
  preempt(site: SiteId): void;
  /** Records what the operation after the last preemption point did (trace, race diagram). */
  trace(site: SiteId, folio: number, value: number): void;
  /**
   * Blocks while the word at `addr` holds `val`. A `sleeping` wait (mutex, folio lock, flush_work)
   * lets the CPU run its queued work meanwhile, as a sleeping task lets the kworker run.
   */
  block(addr: number, val: number, sleeping: boolean, site: SiteId): void;
  /**
   * The operation after the last preemption point lost a race (a failed lock attempt): the CPU
   * that won went first, whatever order their preemption points were passed in.
   */
  contended(): void;
  /** Wakes CPUs blocked on `addr` after the caller changed it. */
  wake(addr: number): void;
}
