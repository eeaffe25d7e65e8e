// Verify mode's access hook: each model access of the CPU holding the baton is appended to FP_LOG
// (shm/footprint.ts), then done with Atomics as without a hook. Setup and check (quiet phases) are
// not steps and are not recorded.
import { type AccessHook, type AccessKind, atomicRmw, Rmw, type RmwOp } from '../shm/access.js';
import { encodeAccess } from '../shm/footprint.js';
import { Ctrl, type Layout } from '../shm/layout.js';

export class FootprintRecorder implements AccessHook {
  constructor(private readonly L: Layout, private readonly ctx: { readonly quiet: boolean }) {}

  load(m: Int32Array, addr: number, kind: AccessKind): number {
    this.note(m, addr, kind, false);
    return Atomics.load(m, addr);
  }

  store(m: Int32Array, addr: number, value: number, kind: AccessKind): void {
    this.note(m, addr, kind, true);
    Atomics.store(m, addr, value);
  }

  rmw(m: Int32Array, addr: number, op: RmwOp, a: number, b: number, kind: AccessKind): number {
    const old = atomicRmw(m, addr, op, a, b);
    this.note(m, addr, kind, op !== Rmw.CMPXCHG || old === a);
    return old;
  }

  /** Appends one entry; a full log marks the iteration's footprints lost instead. */
  note(m: Int32Array, addr: number, kind: AccessKind, wrote: boolean): void {
    if (this.ctx.quiet) return;
    const { L } = this;
    const n = Atomics.load(m, L.CTRL + Ctrl.FP_LEN);
    if (n >= L.sizes.FP_LOG) { Atomics.store(m, L.CTRL + Ctrl.FP_LOST, 1); return; }
    m[L.FP_LOG + n] = encodeAccess(addr, kind, wrote);
    Atomics.store(m, L.CTRL + Ctrl.FP_LEN, n + 1);
  }

  /** Step `step` begins now (cpu/context.ts pass()). */
  beginStep(m: Int32Array, step: number): void {
    m[this.L.FP_STEP + step] = Atomics.load(m, this.L.CTRL + Ctrl.FP_LEN);
  }
}
