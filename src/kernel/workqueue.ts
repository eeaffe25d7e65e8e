// Models the part of kernel/workqueue.c that lru_add_drain_all() uses: one per-CPU work item
// (lru_add_drain_work) queued with queue_work_on() and waited for with flush_work().
//
// Words: WORK_REQ[c] counts queueings, WORK_START[c] is the REQ value the CPU last started (the
// work is pending while REQ > START), WORK_DONE[c] the REQ value it last completed.
import { compareExchange, fetchAdd, load, store } from '../shm/access.js';
import { BenchStat, CPU_STRIDE } from '../shm/layout.js';
import { statAdd, statClock, statSince } from './bench-stat.js';
import { simWorkDone, simWorkFlushed, simWorkQueued, simWorkStart } from './sim-time.js';
import type { Cpu } from './cpu.js';
import { S } from './sites.js';
import { lru_add_drain_per_cpu } from './swap.js';

/** kernel/workqueue.c queue_work_on(): false when the work is already pending on `target`. */
export function queue_work_on(cpu: Cpu, target: number): boolean {
  cpu.preempt(S.queue_work_on);
  const { L } = cpu;
  for (;;) {
    const req = load(cpu, L.WORK_REQ + target * CPU_STRIDE);
    if (req > load(cpu, L.WORK_START + target * CPU_STRIDE)) {
      cpu.trace(S.queue_work_on_pending, -1, target);
      return false;
    }
    // Observation only: stamped before the CAS publishes the work, which its kworker reads first.
    // Queuers serialise on lru_add_drain_all()'s mutex, so no other queuer rewrites the stamp.
    simWorkQueued(cpu, target);
    if (compareExchange(cpu, L.WORK_REQ + target * CPU_STRIDE, req, req + 1) === req) break;
  }
  fetchAdd(cpu, L.CPU_DOORBELL + target * CPU_STRIDE, 1);
  cpu.wake(L.CPU_DOORBELL + target * CPU_STRIDE);
  statAdd(cpu, BenchStat.WORK_QUEUED);
  cpu.trace(S.queue_work_on, -1, target);
  return true;
}

/** kernel/workqueue.c flush_work(): sleeps until the work queued on `target` so far has run. */
export function flush_work(cpu: Cpu, target: number): void {
  cpu.preempt(S.flush_work);
  const { L } = cpu;
  const want = load(cpu, L.WORK_REQ + target * CPU_STRIDE);
  const t0 = statClock(cpu);
  for (;;) {
    const done = load(cpu, L.WORK_DONE + target * CPU_STRIDE);
    if (done >= want) break;
    cpu.block(L.WORK_DONE + target * CPU_STRIDE, done, true, S.flush_work_wait);
  }
  statSince(cpu, BenchStat.WAIT_NS, t0);
  simWorkFlushed(cpu, target);
  cpu.trace(S.flush_work, -1, target);
}

/**
 * kernel/workqueue.c process_one_work() as the kworker of this CPU runs it: called by the runner
 * at a preemption point where the CPU holds no lock, or while the CPU sleeps or idles.
 */
export function process_one_work(cpu: Cpu): void {
  const { L } = cpu;
  const req = load(cpu, L.WORK_REQ + cpu.id * CPU_STRIDE);
  simWorkStart(cpu); // before WORK_START: until then nobody can queue again and move the stamp
  store(cpu, L.WORK_START + cpu.id * CPU_STRIDE, req);
  cpu.trace(S.work_start, -1, cpu.id);
  lru_add_drain_per_cpu(cpu);
  statAdd(cpu, BenchStat.WORK_RUN);
  simWorkDone(cpu);
  cpu.trace(S.work_done, -1, cpu.id);
  store(cpu, L.WORK_DONE + cpu.id * CPU_STRIDE, req); // last: the flusher may end the iteration after it
  cpu.wake(L.WORK_DONE + cpu.id * CPU_STRIDE);
}
