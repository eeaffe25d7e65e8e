// How long a waiting CPU spins before it sleeps in Atomics.wait. A spin hands over in well under a
// microsecond, a futex wake costs tens, so on an idle host a waiter spins. The budget adapts: it
// halves when a wait had to sleep anyway (whoever it waited for was not running) and doubles back
// when spinning paid.
//
// A controlled run (pct, exhaustive, verify, replay) has one CPU running at a time; its other
// CPUs only wait for the baton. On a crowded host (two runs at once, a test suite, other programs)
// their spinning takes the cores that the CPU holding the baton, or another run, needs, and a
// handover then costs a scheduler time slice instead of a microsecond: two searches at once on a
// 2-core host took three times as long as one alone, each. A spinner sees it happen: between two
// looks at the clock, a few microseconds of spinning apart, a millisecond passed (it was off its
// core). When such gaps are more than a quarter of a window's time, a controlled CPU sleeps at once
// for a backoff, then spins again and measures again; the backoff doubles while the host stays
// crowded. (Single gaps happen on an idle host too: the
// runtime's own threads, the host's; there they are a few percent of the time.) Free mode is real
// parallelism and always spins: its races need its CPUs running at once. Measured in
// bench/README.md, "Spinning on a crowded host".
//
// Owned by one CPU (its worker). It decides only when a wait sleeps, never what runs: the schedule
// of a controlled run does not depend on it.

import { availableParallelism } from 'node:os';

/** Spins before a wait sleeps: every simulated CPU has a core / they share cores. */
const SPIN_LONG = 200_000;
const SPIN_SHORT = 2000;
/** Spins between two looks at the clock (a power of two). */
const CLOCK_EVERY = 1024;
/** A gap (ms) between two looks at the clock: the spinner was off its core. */
const GAP_MS = 0.2;
/** The window (ms) whose share of gaps decides, the share that means crowded, and the backoff (ms). */
const WINDOW_MS = 50;
const CROWDED_SHARE = 0.25;
const BACKOFF_MIN_MS = 100;
const BACKOFF_MAX_MS = 1600;

export class SpinPolicy {
  /** Spins a wait may take before it sleeps: from SPIN_SHORT to max, halved when a wait had to sleep. */
  private spin: number;
  private readonly max: number;
  private readonly controlled: boolean;
  /** Controlled: the clock at the last look, the current window's start and its gaps (ms). */
  private last = 0;
  private windowStart: number;
  private lost = 0;
  /** Controlled, crowded: when the backoff ends (0: not crowded). */
  private until = 0;
  /** The next backoff: doubled when the window after one is crowded again, reset by a clean window. */
  private backoff = BACKOFF_MIN_MS;
  private waits = 0;

  /** `clock`: milliseconds, as performance.now() (a test's own clock). */
  constructor(cpus: number, controlled: boolean, private readonly clock: () => number = () => performance.now()) {
    this.max = cpus <= availableParallelism() ? SPIN_LONG : SPIN_SHORT;
    this.spin = this.max;
    this.controlled = controlled;
    this.windowStart = clock();
  }

  /** Called with a wait's count of failed checks after each (1, 2, ...): whether to spin on (false: sleep now). */
  spinOn(spins: number): boolean {
    if (this.until !== 0) return false;
    if (spins >= this.spin) {
      if (spins === this.spin) this.spin = Math.max(SPIN_SHORT, this.spin >> 1);
      return false;
    }
    if (this.controlled && (spins & (CLOCK_EVERY - 1)) === 0) return this.look(spins !== CLOCK_EVERY);
    return true;
  }

  /** A wait ended after `spins` failed checks: if it never slept, spinning paid; allow more of it again. */
  ended(spins: number): void {
    if (this.until !== 0) {
      if (spins !== 0 && (++this.waits & 63) === 0 && this.clock() >= this.until) {
        this.until = 0;
        this.windowStart = this.clock();
        this.lost = 0;
      }
      return;
    }
    if (spins < this.spin && this.spin < this.max) this.spin = Math.min(this.max, this.spin * 2);
    if (this.controlled && spins >= CLOCK_EVERY && spins < this.spin) this.look(true);
  }

  /** Controlled, spinning: a look at the clock; `gap`: since the last look. Whether to spin on. */
  private look(gap: boolean): boolean {
    const now = this.clock();
    if (gap && now - this.last > GAP_MS) this.lost += now - this.last;
    this.last = now;
    const span = now - this.windowStart;
    if (span < WINDOW_MS) return true;
    const crowded = this.lost > span * CROWDED_SHARE;
    this.windowStart = now;
    this.lost = 0;
    if (!crowded) { this.backoff = BACKOFF_MIN_MS; return true; }
    this.until = now + this.backoff;
    this.backoff = Math.min(BACKOFF_MAX_MS, 2 * this.backoff);
    return false;
  }
}
