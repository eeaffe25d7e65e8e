// A fed run: the main thread hands CPU0 one schedule per iteration and reads each result back
// before it chooses the next (shrinking, conversion of free-mode failures, exhaustive search). One
// worker start-up serves thousands of schedules. Only CPU0 takes part: the other CPUs wait for the
// next iteration as usual, while CPU0 waits here between judging one iteration and preparing the next.
import { Ctrl } from '../shm/layout.js';
import type { CpuContext } from './context.js';

/** CPU0's side of a fed run. */
export class Feed {
  /** Schedules taken so far; the main thread has handed over one more when FEED_NEXT exceeds it. */
  private taken = 0;

  constructor(private readonly ctx: CpuContext) {}

  /**
   * Reports the iteration just judged (FEED_DONE; none before the first), then waits for the main
   * thread's next schedule. Returns the iteration number to run it as, or -1 when the run stops:
   * at once when it was the `last` (the scenario's code threw: that ends a fed run as any run).
   */
  next(judged: boolean, last = false): number {
    const { m, L } = this.ctx;
    if (judged) {
      Atomics.add(m, L.CTRL + Ctrl.FEED_DONE, 1);
      Atomics.notify(m, L.CTRL + Ctrl.FEED_DONE);
    }
    if (last) return -1;
    const stop = (): boolean => Atomics.load(m, L.CTRL + Ctrl.STOP) !== 0;
    // The main thread reads this iteration's result and computes the next schedule first (0.1 to
    // 0.3 ms in verify): CPU0 sleeps at once, leaving it the core (bench/README.md, "The suite,
    // fourth sitting"). No CPU is picked meanwhile: the iteration is over.
    this.ctx.sleepUntil(() => Atomics.load(m, L.CTRL + Ctrl.FEED_NEXT) > this.taken || stop());
    if (stop()) return -1;
    this.taken++;
    return Atomics.load(m, L.CTRL + Ctrl.FEED_ITER);
  }
}
