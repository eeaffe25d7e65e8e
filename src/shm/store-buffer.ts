// x86-TSO store buffers (Owens, Sarkar, Sewell, "A better x86 memory model: x86-TSO", TPHOLs 2009;
// Sewell et al., "x86-TSO", CACM 2010): each CPU's plain stores, WRITE_ONCE()s and release stores
// (a MOV on x86) wait in a FIFO buffer of its own; its loads see its newest buffered store to the
// word first, memory otherwise; a store reaches memory when the buffer's oldest entry is flushed.
// Every locked instruction (on x86 every atomic read-modify-write, whatever ordering the kernel
// asks of it: arch/x86/include/asm/atomic.h, cmpxchg.h, bitops.h use the lock prefix) and MFENCE
// (smp_mb()) first drains the buffer. smp_rmb()/smp_wmb() and acquire loads cost nothing on x86
// (compiler barriers): loads are not reordered with loads, nor stores with stores.
//
// The buffers are machine words (SB_* in shm/layout.ts), not the CPU's own memory, so that in a
// controlled mode whichever CPU holds the baton can take a flush step of any buffer: the strategy
// schedules "flush CPU c's oldest store" as pseudo-CPU ncpus + c (cpu/context.ts decide()), as Nidhugg
// schedules TSO buffers as extra threads. In free mode a CPU flushes only its own buffer.
//
// Composition: what reaches memory (a load that missed the buffer, a flush, an atomic) goes through
// `inner` when there is one (verify mode's footprint recorder), else through Atomics.
import { Access, atomicRmw, Fence, type AccessHook, type AccessKind, type FenceKind, type RmwOp } from './access.js';
import type { Layout } from './layout.js';

/** --memory: sequentially consistent (plain Atomics, no hook), or x86-TSO store buffers. */
export const MEMORY_MODELS = ['sc', 'tso'] as const;
export type MemoryModel = (typeof MEMORY_MODELS)[number];

/** Entries of each CPU's store buffer under --memory tso (recent x86 cores have about 50; scenarios buffer few). */
export const STORE_BUFFER_ENTRIES = 32;

/** Stores of CPU `c` not yet in memory. */
export function buffered(m: Int32Array, L: Layout, c: number): number {
  return Atomics.load(m, L.SB_LEN + c);
}

/** The flush steps that may run: bit ncpus + c for each CPU c with a buffered store (pseudo-CPU ncpus + c). */
export function flushMask(m: Int32Array, L: Layout): number {
  const n = L.config.cpus;
  let mask = 0;
  for (let c = 0; c < n; c++) if (Atomics.load(m, L.SB_LEN + c) > 0) mask |= 1 << (n + c);
  return mask;
}

/**
 * Verify mode's footprints (`inner` is the recorder): what reaches memory is recorded as memory
 * words, and the buffer's own bookkeeping as two kinds of buffer word (shm/footprint.ts
 * dependent()): a buffered store writes its entry (SB_ADDR of its slot); moving the oldest entry to
 * memory reads that entry and writes the buffer's head (SB_HEAD). So a store and the flush of its
 * own entry are dependent (the store enables it), as are two flushes of one buffer (FIFO) and a
 * flush step and the CPU's own drain; a store and the flush of an older entry are not: they
 * commute. The length (SB_LEN) and the scan of a load are not recorded: a CPU's load reads its own
 * store alike before and after it reaches memory (store forwarding), and records the word it loads.
 */
function record(m: Int32Array, word: number, value: number, inner: AccessHook | null): void {
  if (inner === null) Atomics.store(m, word, value);
  else inner.store(m, word, value, Access.PLAIN);
}

/**
 * Moves CPU `c`'s oldest buffered store to memory (through `inner` if given); returns the word it
 * wrote. The caller is CPU `c` itself, or, in a controlled mode, the holder of the baton.
 */
export function flushOldest(m: Int32Array, L: Layout, c: number, inner: AccessHook | null): number {
  const cap = L.config.storeBuffer ?? 0;
  const len = Atomics.load(m, L.SB_LEN + c);
  if (len === 0) throw new Error(`internal error: flush of CPU${c}'s empty store buffer (this is a bug in foliorace)`);
  const head = Atomics.load(m, L.SB_HEAD + c);
  const slot = c * cap + head;
  const addr = inner === null ? Atomics.load(m, L.SB_ADDR + slot) : inner.load(m, L.SB_ADDR + slot, Access.PLAIN);
  const value = Atomics.load(m, L.SB_VAL + slot);
  if (inner === null) Atomics.store(m, addr, value);
  else inner.store(m, addr, value, Access.ONCE);
  record(m, L.SB_HEAD + c, head + 1 === cap ? 0 : head + 1, inner);
  Atomics.store(m, L.SB_LEN + c, len - 1);
  return addr;
}

/** One CPU's view of memory under x86-TSO: an AccessHook around its store buffer. */
export class StoreBuffer implements AccessHook {
  /**
   * Only while the CPU runs its actor or its queued work. Setup and check (quiet phases, every
   * buffer empty) write through, so the state a scenario's setup leaves is in memory.
   */
  active = false;
  /** Told of each store a drain (a locked instruction, a fence, a full buffer) moves to memory: trace, wake-ups. */
  onDrain: ((addr: number) => void) | null = null;
  private readonly cap: number;

  constructor(private readonly L: Layout, private readonly cpu: number, private readonly inner: AccessHook | null) {
    this.cap = L.config.storeBuffer ?? 0;
  }

  load(m: Int32Array, addr: number, kind: AccessKind): number {
    const { L, cpu, cap } = this;
    const len = Atomics.load(m, L.SB_LEN + cpu);
    const head = Atomics.load(m, L.SB_HEAD + cpu);
    for (let i = len - 1; i >= 0; i--) { // newest first: store forwarding
      const slot = cpu * cap + (head + i) % cap;
      if (Atomics.load(m, L.SB_ADDR + slot) !== addr) continue;
      // verify: recorded as a read of the word all the same, so that the step's footprint does not
      // depend on whether its own store has reached memory yet (flush steps would change it)
      this.inner?.load(m, addr, kind);
      return Atomics.load(m, L.SB_VAL + slot);
    }
    return this.inner === null ? Atomics.load(m, addr) : this.inner.load(m, addr, kind);
  }

  store(m: Int32Array, addr: number, value: number, kind: AccessKind): void {
    const { L, cpu, cap } = this;
    if (!this.active) {
      this.drain(m);
      if (this.inner === null) Atomics.store(m, addr, value);
      else this.inner.store(m, addr, value, kind);
      return;
    }
    // A full buffer flushes its oldest entry first, as the hardware stalls until one drains.
    if (Atomics.load(m, L.SB_LEN + cpu) === cap) this.drainOne(m);
    const len = Atomics.load(m, L.SB_LEN + cpu);
    const slot = cpu * cap + (Atomics.load(m, L.SB_HEAD + cpu) + len) % cap;
    Atomics.store(m, L.SB_VAL + slot, value);
    record(m, L.SB_ADDR + slot, addr, this.inner);
    Atomics.store(m, L.SB_LEN + cpu, len + 1);
  }

  /** A locked instruction: the buffer drains, then the operation is atomic in memory. */
  rmw(m: Int32Array, addr: number, op: RmwOp, a: number, b: number, kind: AccessKind): number {
    this.drain(m);
    return this.inner === null ? atomicRmw(m, addr, op, a, b) : this.inner.rmw(m, addr, op, a, b, kind);
  }

  fence(m: Int32Array, kind: FenceKind): void {
    if (kind === Fence.MB) this.drain(m); // MFENCE (or a locked add, as the kernel's smp_mb() is since 4.15)
    this.inner?.fence?.(m, kind);
  }

  /** Whether a store of this CPU to `addr` waits in its buffer. */
  holds(m: Int32Array, addr: number): boolean {
    const { L, cpu, cap } = this;
    const len = Atomics.load(m, L.SB_LEN + cpu), head = Atomics.load(m, L.SB_HEAD + cpu);
    for (let i = 0; i < len; i++) if (Atomics.load(m, L.SB_ADDR + cpu * cap + (head + i) % cap) === addr) return true;
    return false;
  }

  /** Moves CPU `c`'s oldest buffered store to memory through this CPU's inner hook; the word written. */
  flushOf(m: Int32Array, c: number): number {
    return flushOldest(m, this.L, c, this.inner);
  }

  /** Flushes every buffered store, oldest first. */
  drain(m: Int32Array): void {
    while (Atomics.load(m, this.L.SB_LEN + this.cpu) > 0) this.drainOne(m);
  }

  private drainOne(m: Int32Array): void {
    const addr = flushOldest(m, this.L, this.cpu, this.inner);
    if (this.onDrain !== null) this.onDrain(addr);
  }
}
