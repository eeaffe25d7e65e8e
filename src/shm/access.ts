// The access layer: every read and write of a model word (a folio's flags, ref count, LRU links,
// a PTE, a swap slot, a lock, a per-CPU batch, a scenario variable) by the kernel model goes
// through these functions, never through Atomics or the Int32Array directly (test/unit/access.test.ts
// holds src/kernel/ and src/scenario/ to it). Each access carries its kernel meaning (Access):
// plain, READ_ONCE/WRITE_ONCE, acquire/release, or an atomic read-modify-write and its ordering, as
// Documentation/atomic_t.txt and memory-barriers.txt give them.
//
// Free mode and the sampling modes run with no hook: an access is the Atomics call it always was,
// behind one null check. A hook (AccessHook) sees every access first: the footprint recorder of
// verify mode (the words each step read and wrote: shm/footprint.ts), and a weak-memory model's
// store buffers. Observation-only words (the bench's counters, simulated time) are not model words
// and do not come here: they never change what the model does.

/** The kernel meaning of an access. Values are ours (they are packed into footprint entries: 3 bits). */
export const Access = {
  /** A plain C access: a word owned by its CPU, or by the holder of the lock that guards it. */
  PLAIN: 0,
  /** READ_ONCE / WRITE_ONCE, atomic_read / atomic_set, test_bit: a single-copy atomic access, unordered. */
  ONCE: 1,
  /** smp_load_acquire, atomic_read_acquire. */
  ACQUIRE: 2,
  /** smp_store_release, atomic_set_release, an unlock's store. */
  RELEASE: 3,
  /** An atomic RMW that returns nothing, unordered: atomic_inc/dec/add/sub, set_bit, clear_bit, *_relaxed. */
  RMW_RELAXED: 4,
  /** A value-returning atomic RMW, fully ordered: atomic_*_return, cmpxchg, xchg, test_and_{set,clear}_bit. */
  RMW_FULL: 5,
  /** An atomic RMW with acquire ordering: test_and_set_bit_lock, a spinlock's acquiring cmpxchg. */
  RMW_ACQUIRE: 6,
  /** An atomic RMW with release ordering: clear_bit_unlock, atomic_*_release. */
  RMW_RELEASE: 7,
} as const;
export type AccessKind = (typeof Access)[keyof typeof Access];
export const ACCESS_NAMES = ['plain', 'once', 'acquire', 'release', 'rmw-relaxed', 'rmw-full', 'rmw-acquire', 'rmw-release'] as const;

/** Whether an access of kind `k` is a read-modify-write (reads and writes its word, atomically). */
export const isRmw = (k: AccessKind): boolean => k >= Access.RMW_RELAXED;

/** The read-modify-write operations. */
export const Rmw = { ADD: 0, SUB: 1, OR: 2, AND: 3, XCHG: 4, CMPXCHG: 5 } as const;
export type RmwOp = (typeof Rmw)[keyof typeof Rmw];

/** The memory barriers of Documentation/memory-barriers.txt that the model places. */
export const Fence = {
  /** smp_mb(): orders every earlier access before every later one. */
  MB: 0,
  /** smp_rmb(): orders earlier loads before later loads. */
  RMB: 1,
} as const;
export type FenceKind = (typeof Fence)[keyof typeof Fence];

/**
 * Sees every model access of one CPU before (or instead of) its Atomics call. A hook may wrap
 * another (shm/store-buffer.ts passes what reaches memory to an inner hook).
 */
export interface AccessHook {
  load(m: Int32Array, addr: number, kind: AccessKind): number;
  store(m: Int32Array, addr: number, value: number, kind: AccessKind): void;
  /** Returns the word's old value, as Atomics does. `b`: the replacement of a compare-exchange. */
  rmw(m: Int32Array, addr: number, op: RmwOp, a: number, b: number, kind: AccessKind): number;
  /** A barrier; a hook without it treats barriers as no-ops (under SC, Atomics order everything). */
  fence?(m: Int32Array, kind: FenceKind): void;
}

/** What an access needs of its CPU: the machine, and the CPU's hook (null: plain Atomics). */
export interface Accessor {
  readonly m: Int32Array;
  readonly hook: AccessHook | null;
}

// The default kinds as literals, not Access.ONCE: a default is evaluated on every call, hook or
// not, and a property load per access was measurable on the model's hot paths (bench/model-work.ts:
// about 3% of the model's CPU time). test/unit/access.test.ts holds them equal to Access's.
/** Access.ONCE. */
const ONCE = 1;
/** Access.RMW_FULL. */
const RMW_FULL = 5;

/** Applies `op` to word `addr` with Atomics; the old value. */
export function atomicRmw(m: Int32Array, addr: number, op: RmwOp, a: number, b: number): number {
  switch (op) {
    case Rmw.ADD: return Atomics.add(m, addr, a);
    case Rmw.SUB: return Atomics.sub(m, addr, a);
    case Rmw.OR: return Atomics.or(m, addr, a);
    case Rmw.AND: return Atomics.and(m, addr, a);
    case Rmw.XCHG: return Atomics.exchange(m, addr, a);
    default: return Atomics.compareExchange(m, addr, a, b);
  }
}

/** A plain load of a word this CPU owns (under the lock that guards it): no Atomics on the fast path. */
export function loadPlain(c: Accessor, addr: number): number {
  return c.hook === null ? c.m[addr]! : c.hook.load(c.m, addr, Access.PLAIN);
}

/** A plain store to a word this CPU owns (under the lock that guards it, or not yet published). */
export function storePlain(c: Accessor, addr: number, value: number): void {
  if (c.hook === null) c.m[addr] = value;
  else c.hook.store(c.m, addr, value, Access.PLAIN);
}

export function load(c: Accessor, addr: number, kind: AccessKind = ONCE): number {
  return c.hook === null ? Atomics.load(c.m, addr) : c.hook.load(c.m, addr, kind);
}

export function store(c: Accessor, addr: number, value: number, kind: AccessKind = ONCE): void {
  if (c.hook === null) Atomics.store(c.m, addr, value);
  else c.hook.store(c.m, addr, value, kind);
}

/** Adds `v`; the old value. */
export function fetchAdd(c: Accessor, addr: number, v: number, kind: AccessKind = RMW_FULL): number {
  return c.hook === null ? Atomics.add(c.m, addr, v) : c.hook.rmw(c.m, addr, Rmw.ADD, v, 0, kind);
}

/** Subtracts `v`; the old value. */
export function fetchSub(c: Accessor, addr: number, v: number, kind: AccessKind = RMW_FULL): number {
  return c.hook === null ? Atomics.sub(c.m, addr, v) : c.hook.rmw(c.m, addr, Rmw.SUB, v, 0, kind);
}

/** Sets `bits`; the old value. */
export function fetchOr(c: Accessor, addr: number, bits: number, kind: AccessKind = RMW_FULL): number {
  return c.hook === null ? Atomics.or(c.m, addr, bits) : c.hook.rmw(c.m, addr, Rmw.OR, bits, 0, kind);
}

/** Keeps `bits` (clears the others); the old value. */
export function fetchAnd(c: Accessor, addr: number, bits: number, kind: AccessKind = RMW_FULL): number {
  return c.hook === null ? Atomics.and(c.m, addr, bits) : c.hook.rmw(c.m, addr, Rmw.AND, bits, 0, kind);
}

/** Stores `v`; the old value. */
export function exchange(c: Accessor, addr: number, v: number, kind: AccessKind = RMW_FULL): number {
  return c.hook === null ? Atomics.exchange(c.m, addr, v) : c.hook.rmw(c.m, addr, Rmw.XCHG, v, 0, kind);
}

/** Stores `replacement` if the word holds `expected`; the old value (equal to `expected`: it did). */
export function compareExchange(c: Accessor, addr: number, expected: number, replacement: number,
  kind: AccessKind = RMW_FULL): number {
  return c.hook === null ? Atomics.compareExchange(c.m, addr, expected, replacement)
    : c.hook.rmw(c.m, addr, Rmw.CMPXCHG, expected, replacement, kind);
}

/** smp_mb(): a full barrier. Without a hook (sequentially consistent memory) there is nothing to do. */
export function smp_mb(c: Accessor): void {
  if (c.hook !== null) c.hook.fence?.(c.m, Fence.MB);
}

/** smp_rmb(): a read barrier. */
export function smp_rmb(c: Accessor): void {
  if (c.hook !== null) c.hook.fence?.(c.m, Fence.RMB);
}
