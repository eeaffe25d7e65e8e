// Verify mode's search: stateless exploration with dynamic partial-order reduction, source sets and
// sleep sets (Abdulla, Aronis, Jonsson, Sagonas, "Optimal dynamic partial order reduction", POPL
// 2014, Algorithm 1 with sleep sets; Flanagan & Godefroid, POPL 2005, for the scheme).
//
// An execution is a sequence of steps; step k is run by CPU p_k with footprint F_k (the words it
// read and wrote: shm/footprint.ts). Two steps of different CPUs are dependent when one writes a
// word the other reads or writes; swapping two adjacent independent steps cannot change any state,
// so executions that differ only by such swaps (a Mazurkiewicz trace, an "equivalence class") end
// in the same state with the same outcome. The search runs one execution per class (a few more
// where sleep sets catch a redundant one: "runs" counts those too).
//
// Each execution is a fed run (host/explorer.ts): a request (a schedule prefix), then the default
// (the running CPU goes on, else the lowest runnable one). After each run, for every pair of steps
// i < j in a race (dependent, different CPUs, i happens before j only through that dependency), the
// reversal is scheduled: some CPU of the initials of the steps after i that do not happen after
// i, followed by j, is added to node i's backtrack set unless one of them is there already, was
// explored there, or sleeps there (source sets). A CPU explored at a node sleeps in the later
// siblings' subtrees until a step dependent with its own step runs (sleep sets); an execution that
// reaches a step of a sleeping CPU is equivalent to one explored already from there on.
//
// Under --memory tso agent ncpus + c is CPU c's store buffer, whose steps are flushes of its oldest
// store (shm/store-buffer.ts). A CPU and its own buffer depend on each other only through the
// buffer's words (shm/footprint.ts dependent()); those edges are the buffer's FIFO order (a store
// before the flush of its entry, flushes in turn, a drain before later flushes) and are never
// reversed: the other order runs the same stores into memory in the same order (a drain takes the
// entry a flush step would have taken), or cannot run at all (a flush before its store). An empty
// buffer is not a blocked agent for the rule below: it waits for nothing another agent does.
//
// Enabledness is the run's own (the runnable CPUs at each decision). When every CPU of the initials
// is blocked at node i, every CPU runnable there is added instead (Flanagan & Godefroid's rule).
//
// With a preemption bound K (bounded POR, Coons, Musuvathi, McKinley, "Bounded partial-order
// reduction", OOPSLA 2013), a backtrack point that would exceed K preemptions is not added; instead
// the CPU is added at the latest earlier node where switching to it costs none (the conservative
// point), within the bound.
//
// Deterministic: races are visited in step order, backtrack sets taken lowest CPU first, depth first.
//
// A part of the tree (DporOptions.part, for splitting one search across processes that do not talk):
// the nodes up to and including the execution's `depth`-th branching decision (a node where two or
// more CPUs could run) are the top; there every runnable CPU not asleep is explored (within the
// bound), as if every one were in a race, so what the top explores depends on nothing below it and
// every process walks the same top in the same order. Each run that takes a new choice at the top
// starts the next subtree; subtree m belongs to part m mod count. A process explores its own
// subtrees as the whole search would, and runs another part's only once (its first execution, so
// that the top's footprints and sleep sets are the same everywhere), counting nothing there. Extra
// backtrack points never make DPOR unsound, and sleep sets still keep complete executions pairwise
// inequivalent, so the parts' classes add up to the classes of one search with the same top.
import { dependent, EMPTY_FOOTPRINT, ownBuffer, type Footprint, type WordSets } from '../shm/footprint.js';
import { preemptionsBefore, switchCost } from './preemption.js';

/** One execution as a fed run returned it. */
export interface DporExecution {
  /** CPU of each step. */
  readonly schedule: readonly number[];
  /** Runnable CPUs at each decision (0: the step followed no decision: its CPU went on, forced). */
  readonly masks: readonly number[];
  readonly footprints: readonly Footprint[];
  /** The run gave a finding: the search stops (unless told to go on). */
  readonly failed: boolean;
}

export interface DporOptions {
  /** Preemption bound (Infinity: none). */
  bound?: number;
  /** Checked before each run: true stops the search where it is. */
  over?: () => boolean;
  /** Go on past executions that failed (the soundness tests collect every outcome). */
  keepGoing?: boolean;
  /** Called after each run. */
  onProgress?: (p: DporProgress) => void;
  /** --memory tso: the CPUs, whose store buffers are agents ncpus .. 2 ncpus - 1 (0, the default: no buffers). */
  buffers?: number;
  /** Explore only part `index` (0-based) of `count` (see the header). */
  part?: DporPart;
}

/**
 * The top's default depth for `count` parts. Subtrees differ in size by orders of magnitude (near
 * the root, most of a sibling's executions are sleep-blocked), so round-robin needs many more
 * subtrees than parts: measured on gup-longterm-vs-activate 6.11 in 4 parts (docs/verify.md), depth
 * 4 gave one part 491 of 495 classes, depth 16 gave 61 to 173 per part, depth 32 119 to 131 but
 * every part ran 830 times to walk the top's 821 subtrees.
 */
export function partDepth(count: number): number {
  return 8 + 4 * Math.ceil(Math.log2(count));
}

/** One part of a split search. */
export interface DporPart {
  index: number;
  count: number;
  /** Branching decisions in the top (the more, the more subtrees to share out). */
  depth: number;
}

export interface DporProgress {
  /** Executions that were not sleep-set blocked: one per equivalence class. */
  classes: number;
  runs: number;
  /** Branches scheduled and not yet run. */
  pending: number;
  /** Estimated number of classes in the whole tree (Knuth's estimator over the runs so far). */
  estimate: number;
}

export interface DporResult extends DporProgress {
  /** The failing execution that ended the search, if any. */
  failure: DporExecution | null;
  /** Every class was explored (false: a failure or `over` stopped it; with keepGoing, failures do not). */
  complete: boolean;
  /** Branches not taken because of the preemption bound (0 without one). */
  pruned: number;
  /** A part: subtrees of the top walked, and how many of them were this part's (both 0 without a part). */
  subtrees: number;
  own: number;
}

interface Node {
  /** CPU taken at this node in the current execution. */
  cpu: number;
  mask: number;
  /** CPUs explored from here, with their step's footprint. */
  done: Map<number, Footprint>;
  backtrack: Set<number>;
  /** Sleep set on entry: CPUs whose step from here (footprint given) needs no exploring. */
  sleep: Map<number, Footprint>;
}

const bit = (c: number): number => 1 << c;

/** Runs every equivalence class of executions (within `bound` preemptions), until a failure or `over()`. */
export async function exploreDpor(run: (request: readonly number[]) => Promise<DporExecution>,
  o: DporOptions = {}): Promise<DporResult> {
  const bound = o.bound ?? Infinity;
  const cpus = o.buffers ?? 0;
  const path: Node[] = [];
  let request: number[] = [];
  let classes = 0, runs = 0, pruned = 0, estimateSum = 0;
  let failure: DporExecution | null = null;
  const progress = (): DporProgress => {
    const pending = path.reduce((a, n) => a + [...n.backtrack].filter((c) => !n.done.has(c)).length, 0);
    return { classes, runs, pending, estimate: Math.max(classes + pending, runs > 0 ? Math.round(estimateSum / runs) : 0) };
  };
  let subtrees = 0, own = 0;
  const end = (complete: boolean): DporResult => ({ ...progress(), failure, complete, pruned, subtrees, own });
  for (;;) {
    if (o.over?.()) return end(false);
    const e = await run(request);
    runs++;
    const branch = request.length - 1; // the node whose choice this run was made for (-1: the first run)
    if (branch >= 0 && e.schedule[branch] !== request[branch]) {
      // not a real decision there (the CPU asked for could not run): nothing new, and never again
      path[branch]!.done.set(request[branch]!, EMPTY_FOOTPRINT);
    } else {
      const cut = extendPath(path, e, branch, cpus);
      const pre = preemptionsBefore(e);
      let mine = true;
      if (o.part) {
        const top = topEnd(e, o.part.depth);
        fillTop(path, e, pre, branch, Math.min(top, cut), bound);
        if (branch <= top) { // a new choice at the top: the next subtree
          mine = subtrees++ % o.part.count === o.part.index;
          if (mine) own++;
          else if (path.length > top + 1) path.length = top + 1; // another part's: nothing below the top
        }
      }
      if (mine) {
        if (cut === e.schedule.length) classes++;
        pruned += analyseRaces(path, e, pre, Math.max(branch, 0), cut, bound, cpus);
        estimateSum += treeEstimate(path, cut);
        if (e.failed && failure === null) {
          failure = e;
          if (!o.keepGoing) { o.onProgress?.(progress()); return end(false); }
        }
      }
    }
    o.onProgress?.(progress());
    const next = nextBranch(path, e.schedule);
    if (next === null) return end(true);
    request = next;
  }
}

/** The last node of the top of a split search: the `depth`-th branching decision of `e` (its last step if fewer). */
function topEnd(e: DporExecution, depth: number): number {
  let seen = 0;
  for (let t = 0; t < e.schedule.length; t++) {
    if (popcount(maskAt(e, t)) >= 2 && ++seen === depth) return t;
  }
  return e.schedule.length - 1;
}

/** Top nodes built by this run (from `branch` on, to `last`): every runnable CPU not asleep is to be explored there. */
function fillTop(path: Node[], e: DporExecution, pre: readonly number[], branch: number, last: number, bound: number): void {
  for (let k = Math.max(branch + 1, 0); k <= last && k < path.length; k++) {
    const node = path[k]!;
    for (let c = 0; c < 31; c++) {
      if ((node.mask & ~maskOf(node.sleep.keys()) & bit(c)) !== 0 && !node.done.has(c) && switchCost(e, pre, k, c) <= bound) {
        node.backtrack.add(c);
      }
    }
  }
}

/**
 * Brings the path up to date with execution `e`, whose steps before `branch` followed the path:
 * nodes from `branch` on are (re)built with their sleep sets. Returns the first step taken by a
 * sleeping CPU (the execution is redundant from there), or the execution's length.
 */
function extendPath(path: Node[], e: DporExecution, branch: number, cpus: number): number {
  const n = e.schedule.length;
  const start = Math.max(branch, 0);
  if (branch < 0) path.length = 0;
  for (let k = start; k < n; k++) {
    const cpu = e.schedule[k]!;
    const mask = maskAt(e, k);
    let node = path[k];
    if (k > branch || node === undefined) {
      const sleep = k === 0 ? new Map<number, Footprint>() : childSleep(path[k - 1]!, e.footprints[k - 1]!, cpus);
      node = { cpu, mask, done: new Map(), backtrack: new Set(), sleep };
      path[k] = node;
      if (sleep.has(cpu)) {
        // A sleeping CPU's step: redundant from here. Explore something else here, if anything is left.
        path.length = k + 1;
        const other = lowest(mask & ~maskOf(sleep.keys()));
        if (other >= 0) node.backtrack.add(other);
        node.cpu = -1;
        return k;
      }
    } else {
      node.cpu = cpu;
    }
    node.done.set(cpu, e.footprints[k]!);
  }
  path.length = n;
  return n;
}

/** The sleep set of the child of `node` after its CPU took a step with footprint `f`. */
function childSleep(node: Node, f: Footprint, cpus: number): Map<number, Footprint> {
  const out = new Map<number, Footprint>();
  for (const src of [node.sleep, node.done]) {
    for (const [c, g] of src) if (c !== node.cpu && !dependent(c, g, node.cpu, f, cpus)) out.set(c, g);
  }
  return out;
}

/**
 * Adds the backtrack points of every race whose later step is at or past `from` (earlier ones were
 * analysed with the run that first had them), among steps before `cut`. Returns how many reversals
 * the preemption bound kept out.
 */
function analyseRaces(path: Node[], e: DporExecution, pre: readonly number[], from: number, cut: number, bound: number, cpus: number): number {
  const agents = 1 + Math.max(0, ...e.schedule.slice(0, cut));
  const clocks: Int32Array[] = [];
  const lastOf = new Int32Array(agents).fill(-1);
  const memory = new Accesses(), buffer = new Accesses();
  let pruned = 0;
  for (let j = 0; j < cut; j++) {
    const p = e.schedule[j]!;
    const f = e.footprints[j]!;
    const preds = new Set<number>();
    // memory: every other agent but p's own buffer (or CPU); under sc a write hides every earlier
    // access (they happen before it), under tso only p's own (another agent's may not order its
    // own CPU's or buffer's earlier accesses)
    memory.dependencies(e, f, (q) => q === p || ownBuffer(p, q, cpus), (q) => cpus === 0 || q === p, preds);
    // a buffer's words: its CPU and its flushes alone, so always the pair
    buffer.dependencies(e, f.buffer, (q) => q === p, () => true, preds);
    const clock = new Int32Array(agents);
    const prev = lastOf[p]!;
    if (prev >= 0) join(clock, clocks[prev]!);
    for (const i of preds) join(clock, clocks[i]!);
    clock[p] = j + 1;
    clocks[j] = clock;
    lastOf[p] = j;
    if (j >= from) {
      // a race: i happens before j through this dependency only (not before another of j's
      // predecessors nor p's previous step); visited latest first to join the later ones' clocks
      const later = prev >= 0 ? Int32Array.from(clocks[prev]!) : new Int32Array(agents);
      const races: number[] = [];
      for (const i of [...preds].sort((a, b) => b - a)) {
        if (later[e.schedule[i]!]! < i + 1 && !ownBuffer(e.schedule[i]!, p, cpus)) races.push(i);
        join(later, clocks[i]!);
      }
      for (let r = races.length - 1; r >= 0; r--) pruned += reverse(path, e, clocks, races[r]!, j, pre, bound);
      // a buffer waits for nothing another agent does: it is idle while empty, and only its own
      // CPU's stores (program order) fill it
      if (cpus === 0 || p < cpus) pruned += wakeBlocked(path, e, clocks, prev, j, pre, bound, cpus);
    }
    memory.add(j, f);
    buffer.add(j, f.buffer);
  }
  return pruned;
}

/** The steps that touched each word so far, in step order: step * 2, + 1 when it wrote the word. */
class Accesses {
  private readonly of = new Map<number, number[]>();

  add(j: number, s: WordSets): void {
    for (const w of s.reads) this.list(w).push(j * 2);
    for (const w of s.writes) this.list(w).push(j * 2 + 1);
  }

  /**
   * Adds to `preds` the earlier steps that a step with words `s` depends on: a write of a word it
   * reads, any access of a word it writes, by an agent not `exempt`. Scanning back stops at a write
   * by an agent for which `hides` says every earlier access happens before it.
   */
  dependencies(e: DporExecution, s: WordSets, exempt: (q: number) => boolean, hides: (q: number) => boolean,
    preds: Set<number>): void {
    for (const [words, writes] of [[s.reads, false], [s.writes, true]] as const) {
      for (const w of words) {
        const list = this.of.get(w);
        if (list === undefined) continue;
        for (let x = list.length - 1; x >= 0; x--) {
          const k = list[x]! >> 1, wrote = (list[x]! & 1) === 1;
          const q = e.schedule[k]!;
          if ((wrote || writes) && !exempt(q)) preds.add(k);
          if (wrote && hides(q)) break;
        }
      }
    }
  }

  private list(w: number): number[] {
    let l = this.of.get(w);
    if (l === undefined) this.of.set(w, l = []);
    return l;
  }
}

/**
 * A CPU blocked between its steps `prev` and `j` (it waits on a word, as a lock's waiter does) is not
 * runnable there, so a step i that changed what it waits for hides the race behind the steps that
 * unblocked it: the reversal is not among the races of executed steps. For every step i in between
 * after which it was blocked and that conflicts with its next step j (Flanagan & Godefroid's rule
 * for the next transition of every process, enabled or not): take it at i if it could run there,
 * else every CPU that could.
 */
function wakeBlocked(path: Node[], e: DporExecution, clocks: readonly Int32Array[], prev: number, j: number,
  pre: readonly number[], bound: number, cpus: number): number {
  const p = e.schedule[j]!;
  const f = e.footprints[j]!;
  let pruned = 0;
  for (let i = prev + 1; i < j - 1; i++) {
    const q = e.schedule[i]!;
    // a buffer is blocked only while empty, and only its own CPU's stores fill it (program order)
    if (q === p || ownBuffer(q, p, cpus) || (maskAt(e, i + 1) & bit(p)) !== 0 || !dependent(q, e.footprints[i]!, p, f, cpus)) continue;
    if (prev >= 0 && hb(clocks, e, i, prev)) continue;
    const node = path[i]!;
    const covered = maskOf(node.backtrack) | maskOf(node.done.keys()) | maskOf(node.sleep.keys());
    const want = ((node.mask & bit(p)) !== 0 ? bit(p) : node.mask) & ~covered;
    for (let c = 0; c < 31; c++) {
      if ((want & bit(c)) === 0) continue;
      if (switchCost(e, pre, i, c) <= bound) node.backtrack.add(c);
      else pruned++;
    }
  }
  return pruned;
}

/** Runnable CPUs at decision t (a step that followed no decision: its own CPU alone). */
function maskAt(e: DporExecution, t: number): number {
  return e.masks[t] || bit(e.schedule[t]!);
}

/** Whether step i happens before step d (or is d). */
function hb(clocks: readonly Int32Array[], e: DporExecution, i: number, d: number): boolean {
  return i === d || (i < d && clocks[d]![e.schedule[i]!]! >= i + 1);
}

function join(into: Int32Array, from: Int32Array): void {
  for (let c = 0; c < into.length; c++) if (from[c]! > into[c]!) into[c] = from[c]!;
}

/** Schedules the reversal of race (i, j). Returns 1 when the preemption bound kept it out, else 0. */
function reverse(path: Node[], e: DporExecution, clocks: readonly Int32Array[], i: number, j: number,
  pre: readonly number[], bound: number): number {
  const node = path[i]!;
  // v: the steps after i that do not happen after it, then j; its initials: steps of v with no
  // predecessor in v (the CPUs that could run first in the reversed order)
  const v: number[] = [];
  for (let k = i + 1; k < j; k++) if (!hb(clocks, e, i, k)) v.push(k);
  v.push(j);
  let initials = 0;
  for (let a = 0; a < v.length; a++) {
    const k = v[a]!;
    if (!v.slice(0, a).some((k2) => hb(clocks, e, k2, k))) initials |= bit(e.schedule[k]!);
  }
  const covered = maskOf(node.backtrack) | maskOf(node.done.keys()) | maskOf(node.sleep.keys());
  if ((initials & covered) !== 0) return 0;
  const enabled = initials & node.mask;
  if (enabled === 0) {
    // none of them can run at i (each waits for something): as Flanagan & Godefroid do, try every
    // CPU that can, since what unblocks them may come in another order
    for (let c = 0; c < 31; c++) if ((node.mask & ~covered & bit(c)) !== 0 && switchCost(e, pre, i, c) <= bound) node.backtrack.add(c);
    return 0;
  }
  const q = lowest(enabled);
  if (switchCost(e, pre, i, q) <= bound) { node.backtrack.add(q); return 0; }
  // bounded: the latest earlier node where switching to q is no preemption, within the bound
  for (let k = i - 1; k >= 0; k--) {
    const at = path[k]!;
    const free = k === 0 || (at.mask & bit(e.schedule[k - 1]!)) === 0 || e.schedule[k - 1] !== e.schedule[k];
    if (!free || (at.mask & bit(q)) === 0) continue;
    if (switchCost(e, pre, k, q) <= bound && !at.done.has(q) && !at.sleep.has(q)) at.backtrack.add(q);
    break;
  }
  return 1;
}

/** The deepest node with a backtrack CPU not yet explored: its request, or null when none is left. */
function nextBranch(path: Node[], schedule: readonly number[]): number[] | null {
  for (let k = path.length - 1; k >= 0; k--) {
    const node = path[k]!;
    const todo = [...node.backtrack].filter((c) => !node.done.has(c) && !node.sleep.has(c)).sort((a, b) => a - b);
    if (todo.length === 0) continue;
    const q = todo[0]!;
    node.backtrack.delete(q);
    path.length = k + 1;
    node.cpu = q;
    return [...schedule.slice(0, k).map((c, t) => path[t]!.cpu >= 0 ? path[t]!.cpu : c), q];
  }
  return null;
}

/** Knuth's estimate of the tree's classes from this path: the product of the branchings along it. */
function treeEstimate(path: readonly Node[], cut: number): number {
  let est = 1;
  for (let k = 0; k < Math.min(cut, path.length); k++) {
    const n = path[k]!;
    est *= Math.max(1, n.done.size + [...n.backtrack].filter((c) => !n.done.has(c)).length);
    if (est > 1e12) return 1e12;
  }
  return est;
}

function maskOf(cpus: Iterable<number>): number {
  let m = 0;
  for (const c of cpus) m |= bit(c);
  return m;
}

function popcount(mask: number): number {
  let n = 0;
  for (let m = mask; m !== 0; m &= m - 1) n++;
  return n;
}

function lowest(mask: number): number {
  return mask === 0 ? -1 : 31 - Math.clz32(mask & -mask);
}
