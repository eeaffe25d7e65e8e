// sched/dpor.ts on toy programs run by a toy executor with the fed run's semantics (follow the
// request, then the running CPU goes on, else the lowest runnable one): the number of equivalence
// classes it explores is counted exactly against a brute force over every interleaving.
import { describe, expect, it } from 'vitest';
import { exploreDpor, type DporExecution } from '../../../src/sched/dpor.js';
import { encodeAccess, footprintOf } from '../../../src/shm/footprint.js';

/** One step of a toy CPU: words it reads and writes; `lock`/`unlock` take and release a lock word. */
interface Op { r?: number[]; w?: number[]; lock?: number; unlock?: number }
type Program = Op[][];

const footprint = (op: Op) => {
  const log = [...(op.r ?? []).map((a) => encodeAccess(a, 1, false)), ...(op.w ?? []).map((a) => encodeAccess(a, 1, true)),
    ...[op.lock, op.unlock].filter((a): a is number => a !== undefined).map((a) => encodeAccess(a, 5, true))];
  return footprintOf(log, 0, log.length);
};

/**
 * Runs `request` on `prog` as a fed run does. A lock taken while held is tried as the model's
 * lock_word() does: a step that reads the lock word, then the CPU is blocked until the word changes,
 * when it takes the lock op again.
 */
function execute(prog: Program, request: readonly number[]): DporExecution {
  const pc = prog.map(() => 0);
  const blocked = prog.map(() => false);
  let held = -1;
  const schedule: number[] = [], masks: number[] = [], footprints = [];
  const runnable = (): number => prog.reduce((m, ops, c) =>
    ops[pc[c]!] === undefined || (blocked[c] && held >= 0) ? m : m | (1 << c), 0);
  let current = -1;
  for (;;) {
    const mask = runnable();
    if (mask === 0) break;
    const t = schedule.length;
    const want = request[t];
    const c = want !== undefined && (mask & (1 << want)) ? want
      : current >= 0 && (mask & (1 << current)) ? current : 31 - Math.clz32(mask & -mask);
    const op = prog[c]![pc[c]!]!;
    schedule.push(c);
    masks.push(mask);
    current = c;
    blocked[c] = false;
    if (op.lock !== undefined && held >= 0) { // a failed try: reads the word, then waits
      footprints.push(footprint({ r: [op.lock] }));
      blocked[c] = true;
      continue;
    }
    if (op.lock !== undefined) held = c;
    if (op.unlock !== undefined) held = -1;
    footprints.push(footprint(op));
    pc[c]!++;
  }
  return { schedule, masks, footprints, failed: false };
}

/** The number of Mazurkiewicz traces of `prog`: every interleaving, by its happens-before relation. */
function bruteForceClasses(prog: Program): number {
  const seen = new Set<string>();
  const walk = (prefix: number[]): void => {
    const e = execute(prog, prefix);
    const t = prefix.length;
    if (t === e.schedule.length) { seen.add(traceKey(e)); return; }
    for (let c = 0; c < prog.length; c++) if (e.masks[t]! & (1 << c)) walk([...prefix, c]);
  };
  walk([]);
  return seen.size;
}

/** A trace's canonical form: each step named (cpu, index in its cpu), with the steps it depends on before it. */
function traceKey(e: DporExecution): string {
  const count = new Map<number, number>();
  const names = e.schedule.map((c) => { const k = count.get(c) ?? 0; count.set(c, k + 1); return `${c}.${k}`; });
  const edges: string[] = [];
  for (let j = 0; j < e.schedule.length; j++) {
    for (let i = 0; i < j; i++) {
      const a = e.footprints[i]!, b = e.footprints[j]!;
      const dep = e.schedule[i] !== e.schedule[j] && (a.writes.some((x) => b.writes.includes(x) || b.reads.includes(x)) ||
        a.reads.some((x) => b.writes.includes(x)));
      if (dep) edges.push(`${names[i]}<${names[j]}`);
    }
  }
  return edges.sort().join(' ');
}

async function dporClasses(prog: Program, bound?: number): Promise<{ classes: number; runs: number; complete: boolean }> {
  const r = await exploreDpor(async (req) => execute(prog, req), bound === undefined ? {} : { bound });
  return { classes: r.classes, runs: r.runs, complete: r.complete };
}

const writes = (n: number, word: number): Op[] => Array.from({ length: n }, () => ({ w: [word] }));
const binomial = (n: number, k: number): number => (k === 0 ? 1 : (binomial(n - 1, k - 1) * n) / k);

/** A small random program from `seed`: 2 or 3 CPUs, up to 4 steps each, on 3 words and one lock. */
function randomProgram(seed: number): Program {
  let s = seed;
  const next = (n: number): number => { s = (s * 1103515245 + 12345) % 2 ** 31; return s % n; };
  const cpus = 2 + next(2);
  return Array.from({ length: cpus }, () => {
    const ops: Op[] = [];
    const n = 1 + next(4);
    for (let i = 0; i < n; i++) {
      const k = next(7);
      if (k < 2 && i + 1 < n) { ops.push({ lock: 9 }, { w: [next(3)], unlock: 9 }); i++; }
      else if (k < 4) ops.push({ r: [next(3)] });
      else if (k < 6) ops.push({ w: [next(3)] });
      else ops.push({});
    }
    return ops;
  });
}

describe('DPOR (sched/dpor.ts)', () => {
  it('independent steps: one class, one run', async () => {
    expect(await dporClasses([writes(3, 0), writes(3, 1)])).toEqual({ classes: 1, runs: 1, complete: true });
  });

  it('n conflicting writes on each of two CPUs: C(2n, n) classes, each run once', async () => {
    for (let n = 1; n <= 5; n++) {
      const r = await dporClasses([writes(n, 0), writes(n, 0)]);
      expect(r, `n = ${n}`).toEqual({ classes: binomial(2 * n, n), runs: binomial(2 * n, n), complete: true });
    }
  });

  it('reads of one word commute: two readers and one writer give 4 classes (the write before, between or after them)', async () => {
    expect((await dporClasses([[{ r: [0] }], [{ r: [0] }], [{ w: [0] }]])).classes).toBe(4);
  });

  it('a lock orders its critical sections; a failed try is a step of its own, as in the model (lock_word)', async () => {
    const cs = (w: number): Op[] => [{ lock: 9 }, { w: [w], unlock: 9 }];
    // either CPU first, each with or without the other's failed try in between
    expect((await dporClasses([cs(0), cs(1)])).classes).toBe(4);
    const three = [cs(0), cs(1), cs(2)];
    expect((await dporClasses(three)).classes).toBe(bruteForceClasses(three));
  });

  it('explores exactly the classes a brute force over every interleaving finds (400 random programs)', async () => {
    for (let seed = 1; seed <= 400; seed++) {
      const prog = randomProgram(seed);
      const r = await dporClasses(prog);
      expect(r.complete).toBe(true);
      expect(r.classes, `seed ${seed}: ${JSON.stringify(prog)}`).toBe(bruteForceClasses(prog));
    }
  });

  it('the same program gives the same order of runs', async () => {
    const order = async (): Promise<string[]> => {
      const seen: string[] = [];
      await exploreDpor(async (req) => { const e = execute(randomProgram(7), req); seen.push(e.schedule.join('')); return e; });
      return seen;
    };
    expect(await order()).toEqual(await order());
  });

  it('a preemption bound of 0 runs the two orders without a preemption; the bound is reported as pruning', async () => {
    const r = await exploreDpor(async (req) => execute([writes(2, 0), writes(2, 0)], req), { bound: 0 });
    expect(r.classes).toBe(2);
    expect(r.pruned).toBeGreaterThan(0);
  });

  it('stops at the first failing execution, or goes on when told', async () => {
    const prog = [writes(2, 0), writes(2, 0)];
    const failing = async (req: readonly number[]): Promise<DporExecution> => {
      const e = execute(prog, req);
      return { ...e, failed: e.schedule[0] === 1 };
    };
    const stop = await exploreDpor(failing);
    expect(stop.failure?.schedule[0]).toBe(1);
    expect(stop.complete).toBe(false);
    const all = await exploreDpor(failing, { keepGoing: true });
    expect(all).toMatchObject({ classes: 6, complete: true });
  });

  describe('split into parts (DporOptions.part)', () => {
    /** Every part of `count` at `depth`: the traces each explored (complete, not sleep-blocked), and its counts. */
    async function parts(prog: Program, count: number, depth: number, bound?: number) {
      const out = [];
      for (let index = 0; index < count; index++) {
        const traces: string[] = [];
        let last: DporExecution | null = null;
        const r = await exploreDpor(async (req) => (last = execute(prog, req)), {
          part: { index, count, depth }, ...(bound === undefined ? {} : { bound }),
          onProgress: (p) => { if (p.classes > traces.length && last) traces.push(traceKey(last)); },
        });
        out.push({ ...r, traces });
      }
      return out;
    }

    it("the parts' classes add up to the unsplit search's, each trace in exactly one part (400 random programs)", async () => {
      for (let seed = 1; seed <= 400; seed++) {
        const prog = randomProgram(seed);
        const whole = bruteForceClasses(prog);
        for (const [count, depth] of [[2, 1], [3, 2], [4, 3]] as const) {
          const ps = await parts(prog, count, depth);
          const where = `seed ${seed}, ${count} parts at depth ${depth}: ${JSON.stringify(prog)}`;
          expect(ps.every((p) => p.complete), where).toBe(true);
          expect(ps.reduce((a, p) => a + p.classes, 0), where).toBe(whole);
          const all = ps.flatMap((p) => p.traces);
          expect(new Set(all).size, where).toBe(all.length);
          // every part walked the same top
          expect(new Set(ps.map((p) => p.subtrees)).size, where).toBe(1);
          expect(ps.reduce((a, p) => a + p.own, 0), where).toBe(ps[0]!.subtrees);
        }
      }
    });

    it('shares C(2n, n) classes out: with more subtrees than parts, every part gets some', async () => {
      const ps = await parts([writes(4, 0), writes(4, 0)], 4, 4);
      expect(ps.map((p) => p.classes).reduce((a, b) => a + b)).toBe(binomial(8, 4));
      expect(ps.every((p) => p.own > 0 && p.classes > 0)).toBe(true);
    });

    it('with a preemption bound, the parts together reach what the unsplit bounded search reaches', async () => {
      for (let seed = 1; seed <= 100; seed++) {
        const prog = randomProgram(seed);
        const outcomes = async (o: Parameters<typeof exploreDpor>[1]): Promise<Set<string>> => {
          const seen = new Set<string>();
          await exploreDpor(async (req) => { const e = execute(prog, req); seen.add(traceKey(e)); return e; }, o);
          return seen;
        };
        const whole = await outcomes({ bound: 1 });
        const split = new Set<string>();
        for (let index = 0; index < 3; index++) for (const t of await outcomes({ bound: 1, part: { index, count: 3, depth: 2 } })) split.add(t);
        for (const t of whole) expect(split.has(t), `seed ${seed}`).toBe(true);
      }
    });
  });
});
