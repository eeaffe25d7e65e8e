// The kernel's litmus tests (tools/memory-model/litmus-tests/, read in the torvalds/linux tree)
// whose shape the model expresses: READ_ONCE/WRITE_ONCE, smp_store_release/smp_load_acquire,
// smp_mb() and spin_lock/spin_unlock on shared variables, two to four CPUs. Programs and `exists`
// clauses are as in each file; `lkmm` is the file's own "Result:" line (absent in some files).
//
// `tso`: herd7's verdict under x86-TSO (x86tso.cat) for the test as the kernel compiles it on
// x86 (READ_ONCE/WRITE_ONCE, acquire and release are MOVs, smp_mb() an MFENCE or locked add,
// spin_lock a locked cmpxchg, spin_unlock a MOV). herd7 does not run here: each verdict is derived
// from the x86-TSO axioms (Owens, Sarkar, Sewell 2009): only a store followed by a load of
// another word may be reordered (SB, R allowed; MP, LB, S, 2+2W, IRIW, WRC, coherence forbidden),
// and store forwarding lets a CPU read its own buffered store early (SB+rfi allowed).

/** One instruction of a litmus thread, on variables x = 0, y = 1 (z = 2) and one spinlock. */
export type Op =
  | { op: 'w'; x: number; v: number } // WRITE_ONCE
  | { op: 'r'; x: number } // READ_ONCE, into the thread's next register
  | { op: 'rel'; x: number; v: number } // smp_store_release
  | { op: 'acq'; x: number } // smp_load_acquire
  | { op: 'mb' } // smp_mb()
  | { op: 'lock' } | { op: 'unlock' }; // spin_lock/spin_unlock(mylock)

export interface LitmusTest {
  name: string;
  /** The file's "Result:" line, where it has one. */
  lkmm?: 'Sometimes' | 'Never';
  /** herd7 under x86-TSO: can the `exists` clause hold? */
  tso: 'allowed' | 'forbidden';
  /** Where the test comes from when it is not in the kernel's directory. */
  source?: string;
  /**
   * The preemption bound of its exhaustive search under tso (docs/memory.md, test/memory.test.ts),
   * a cross-check of verify mode's complete one; absent: EVERY_SCHEDULE, beyond any of its
   * schedules' length (the exhaustive search is complete too).
   */
  bound?: number;
  threads: Op[][];
  /** The `exists` clause: registers of each thread (in read order), final values of x, y, z. */
  exists(r: readonly (readonly number[])[], mem: readonly number[]): boolean;
  /** The clause as written, for reports and docs. */
  clause: string;
}

/** A preemption bound no schedule of these tests reaches: an exhaustive search with it runs them all. */
export const EVERY_SCHEDULE = 64;

const X = 0, Y = 1;
const w = (x: number, v: number): Op => ({ op: 'w', x, v });
const r = (x: number): Op => ({ op: 'r', x });
const mb: Op = { op: 'mb' };

export const LITMUS_TESTS: readonly LitmusTest[] = [
  { name: 'SB+poonceonces', lkmm: 'Sometimes', tso: 'allowed', clause: '0:r0=0 /\\ 1:r0=0',
    threads: [[w(X, 1), r(Y)], [w(Y, 1), r(X)]], exists: (t) => t[0]![0] === 0 && t[1]![0] === 0 },
  { name: 'SB+mbonceonces', lkmm: 'Never', tso: 'forbidden', clause: '0:r0=0 /\\ 1:r0=0',
    threads: [[w(X, 1), mb, r(Y)], [w(Y, 1), mb, r(X)]], exists: (t) => t[0]![0] === 0 && t[1]![0] === 0 },
  { name: 'SB+rfionceonce-poonceonces', lkmm: 'Sometimes', tso: 'allowed', clause: '0:r2=0 /\\ 1:r4=0',
    threads: [[w(X, 1), r(X), r(Y)], [w(Y, 1), r(Y), r(X)]], exists: (t) => t[0]![1] === 0 && t[1]![1] === 0 },
  { name: 'R+poonceonces', tso: 'allowed', clause: 'y=2 /\\ 1:r0=0',
    threads: [[w(X, 1), w(Y, 1)], [w(Y, 2), r(X)]], exists: (t, m) => m[Y] === 2 && t[1]![0] === 0 },
  { name: 'R+mbonceonces', tso: 'forbidden', clause: 'y=2 /\\ 1:r0=0',
    threads: [[w(X, 1), mb, w(Y, 1)], [w(Y, 2), mb, r(X)]], exists: (t, m) => m[Y] === 2 && t[1]![0] === 0 },
  { name: 'MP+poonceonces', lkmm: 'Sometimes', tso: 'forbidden', clause: '1:r0=1 /\\ 1:r1=0',
    threads: [[w(X, 1), w(Y, 1)], [r(Y), r(X)]], exists: (t) => t[1]![0] === 1 && t[1]![1] === 0 },
  { name: 'MP+pooncerelease+poacquireonce', lkmm: 'Never', tso: 'forbidden', clause: '1:r0=1 /\\ 1:r1=0',
    threads: [[w(X, 1), { op: 'rel', x: Y, v: 1 }], [{ op: 'acq', x: Y }, r(X)]], exists: (t) => t[1]![0] === 1 && t[1]![1] === 0 },
  { name: 'MP+polocks', lkmm: 'Never', tso: 'forbidden', clause: '1:r0=1 /\\ 1:r1=0',
    threads: [[w(X, 1), { op: 'lock' }, w(Y, 1), { op: 'unlock' }], [{ op: 'lock' }, r(Y), { op: 'unlock' }, r(X)]],
    exists: (t) => t[1]![0] === 1 && t[1]![1] === 0 },
  { name: 'LB+poonceonces', lkmm: 'Sometimes', tso: 'forbidden', clause: '0:r0=1 /\\ 1:r0=1',
    threads: [[r(X), w(Y, 1)], [r(Y), w(X, 1)]], exists: (t) => t[0]![0] === 1 && t[1]![0] === 1 },
  { name: 'S+poonceonces', lkmm: 'Sometimes', tso: 'forbidden', clause: 'x=2 /\\ 1:r0=1',
    threads: [[w(X, 2), w(Y, 1)], [r(Y), w(X, 1)]], exists: (t, m) => m[X] === 2 && t[1]![0] === 1 },
  { name: '2+2W+poonceonces', tso: 'forbidden', clause: 'x=1 /\\ y=1',
    source: 'the 2+2W shape (Alglave, Maranget, Tautschnig, "Herding cats", TOPLAS 2014); not in the kernel\'s directory',
    threads: [[w(X, 1), w(Y, 2)], [w(Y, 1), w(X, 2)]], exists: (_t, m) => m[X] === 1 && m[Y] === 1 },
  { name: 'WRC+poonceonces+Once', tso: 'forbidden', bound: 2, clause: '1:r0=1 /\\ 2:r0=1 /\\ 2:r1=0',
    threads: [[w(X, 1)], [r(X), w(Y, 1)], [r(Y), r(X)]], exists: (t) => t[1]![0] === 1 && t[2]![0] === 1 && t[2]![1] === 0 },
  { name: 'IRIW+poonceonces+OnceOnce', tso: 'forbidden', bound: 0, clause: '1:r0=1 /\\ 1:r1=0 /\\ 3:r0=1 /\\ 3:r1=0',
    threads: [[w(X, 1)], [r(X), r(Y)], [w(Y, 1)], [r(Y), r(X)]],
    exists: (t) => t[1]![0] === 1 && t[1]![1] === 0 && t[3]![0] === 1 && t[3]![1] === 0 },
  { name: 'CoWR+poonceonce+Once', lkmm: 'Never', tso: 'forbidden', clause: 'x=1 /\\ 0:r0=2',
    threads: [[w(X, 1), r(X)], [w(X, 2)]], exists: (t, m) => m[X] === 1 && t[0]![0] === 2 },
];
