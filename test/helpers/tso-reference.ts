// A reference interpreter of the litmus programs under x86-TSO, independent of the model: every
// execution of the operational x86-TSO machine (Owens, Sarkar, Sewell 2009) enumerated, with
// nothing shared with foliorace but the programs. Each thread has a FIFO store buffer: a store
// (WRITE_ONCE, smp_store_release, spin_unlock: a MOV) enters it, a load (READ_ONCE,
// smp_load_acquire) reads the thread's newest buffered store to its word or else memory, smp_mb()
// and spin_lock (a locked instruction) wait until the buffer is empty, spin_lock also until the
// lock is free, and at any moment a buffer's oldest store may reach memory.
import type { LitmusTest, Op } from '../../dist/src/scenarios/memory/litmus-tests.js';

/** The lock's word, after x, y, z. */
const LOCK = 3;

interface State {
  pc: number[];
  regs: number[][];
  buf: [word: number, value: number][][];
  mem: number[];
}

const key = (s: State): string => JSON.stringify(s);
const copy = (s: State): State => ({ pc: [...s.pc], regs: s.regs.map((r) => [...r]), buf: s.buf.map((b) => b.map(([w, v]) => [w, v])), mem: [...s.mem] });

/** The state after thread `t` runs `op`, or null where `op` cannot run now. */
function step(s: State, t: number, op: Op): State | null {
  const n = copy(s);
  const own = n.buf[t]!;
  const read = (w: number): number => {
    for (let i = own.length - 1; i >= 0; i--) if (own[i]![0] === w) return own[i]![1];
    return n.mem[w]!;
  };
  switch (op.op) {
    case 'w': case 'rel': own.push([op.x, op.v]); break;
    case 'r': case 'acq': n.regs[t]!.push(read(op.x)); break;
    case 'mb': if (own.length > 0) return null; break;
    case 'lock': if (own.length > 0 || n.mem[LOCK] !== 0) return null; n.mem[LOCK] = 1; break;
    case 'unlock': own.push([LOCK, 0]); break;
  }
  n.pc[t]!++;
  return n;
}

/**
 * Every final state of `t` under x86-TSO, as test/verify.test.ts names them: each thread's
 * registers in order, then the final value of each word in `written`.
 */
export function tsoFinalStates(t: LitmusTest, written: readonly number[]): Set<string> {
  const finals = new Set<string>();
  const seen = new Set<string>();
  const start: State = { pc: t.threads.map(() => 0), regs: t.threads.map(() => []), buf: t.threads.map(() => []), mem: [0, 0, 0, 0] };
  const todo = [start];
  while (todo.length > 0) {
    const s = todo.pop()!;
    const k = key(s);
    if (seen.has(k)) continue;
    seen.add(k);
    const next: State[] = [];
    t.threads.forEach((ops, i) => {
      if (s.pc[i]! < ops.length) {
        const n = step(s, i, ops[s.pc[i]!]!);
        if (n) next.push(n);
      }
      if (s.buf[i]!.length > 0) {
        const n = copy(s);
        const [w, v] = n.buf[i]!.shift()!;
        n.mem[w] = v;
        next.push(n);
      }
    });
    if (next.length === 0 && s.pc.every((pc, i) => pc === t.threads[i]!.length)) {
      finals.add(s.regs.flat().join('') + written.map((w) => s.mem[w]).join(''));
    }
    todo.push(...next);
  }
  return finals;
}
