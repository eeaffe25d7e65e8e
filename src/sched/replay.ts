// Replay: follows a recorded schedule, the sequence of CPUs that passed each preemption point.
// At a decision the CPU recorded for the current step runs; if it cannot run, the replay has
// diverged (the scenario, profile or CPU count differs from the recording, or a free-mode recording
// was not linearisable): we note it and let the lowest runnable CPU go on. Past the end of the
// schedule (or after a divergence) the running CPU goes on while it can: a schedule is a prefix,
// and what follows takes no preemption. The runnable CPUs of every decision are logged
// (SCHED_MASK), so that a preemption (a switch away from a CPU that could have gone on) can be told
// from a switch forced by a block or an exit.
import { Ctrl } from '../shm/layout.js';
import { lowestCpu, type SchedState, type Strategy } from './strategy.js';

export const replayStrategy: Strategy = {
  beginIteration(): void {},
  pick(s: SchedState, runnable: number, current: number, step: number): number {
    const { m, L } = s;
    if (step < L.config.scheduleCapacity) Atomics.store(m, L.SCHED_MASK + step, runnable);
    if (step < Atomics.load(m, L.CTRL + Ctrl.REPLAY_LEN)) {
      const want = Atomics.load(m, L.REPLAY + step);
      if (runnable & (1 << want)) return want;
      if (Atomics.load(m, L.CTRL + Ctrl.REPLAY_DIVERGED) === 0) Atomics.store(m, L.CTRL + Ctrl.REPLAY_DIVERGED, step + 1);
    }
    return runnable & (1 << current) ? current : lowestCpu(runnable);
  },
};
