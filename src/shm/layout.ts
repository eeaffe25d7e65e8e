// The machine: every word of the one SharedArrayBuffer, declared once.
//
// access 'atomic': every read and write goes through Atomics.* (any CPU may touch it).
// access 'owned' : only the named owner writes it, and nobody reads it while the owner may write;
//                  the hand-over to a reader happens through an Atomics barrier (iteration end).
// access 'static': written by the main thread before any worker starts, read-only afterwards.
//
// Regions are struct-of-arrays indexed by small integers (folio 7, cpu 1, mm 0). Sizes derive from
// a MachineConfig; a region is 16-word (64-byte) aligned so two regions never share a cache line.

/** Everything the machine's size depends on. */
export interface MachineConfig {
  /** Simulated CPUs (one worker each). */
  cpus: number;
  /** Folio slots; the first `cmaFolios` sit in a CMA (long-term unpinnable) zone. */
  folios: number;
  cmaFolios: number;
  /** Address spaces and the PTEs each one has. */
  mms: number;
  ptesPerMm: number;
  /** Slots of the one swap device (swap_map entries). */
  swapSlots: number;
  /** Per-CPU folio batch capacity (PAGEVEC_SIZE / folio batch size): 15 before 6.9, 31 after. */
  batchSize: number;
  /** Trace events each CPU may record in one iteration (beyond that the trace is truncated). */
  traceCapacity: number;
  /** Scheduling decisions one iteration may take in controlled modes. */
  scheduleCapacity: number;
  /** Scratch words a scenario uses to pass results between its actors and its check. */
  scenarioVars: number;
  /** Distinct outcome names of the scenario (histogram slots). */
  outcomes: number;
  /**
   * Verify mode: footprint entries one iteration may record (the words each step read and wrote,
   * shm/footprint.ts); absent or 0 in every other mode, whose machines have no footprint regions.
   */
  footprints?: number;
  /**
   * Entries of each CPU's store buffer (shm/store-buffer.ts): absent or 0, sequentially consistent
   * memory (--memory sc); more, x86-TSO (--memory tso).
   */
  storeBuffer?: number;
}

/** Batches of cpu_fbatches (mm/swap.c) plus mlock_fbatch (mm/mlock.c), in drain order. */
export const Batch = {
  lru_add: 0,
  lru_move_tail: 1,
  lru_deactivate_file: 2,
  lru_deactivate: 3,
  lru_lazyfree: 4,
  lru_activate: 5,
  mlock: 6,
} as const;
export type BatchId = (typeof Batch)[keyof typeof Batch];
export const NR_BATCHES = 7;
export const BATCH_NAMES = ['lru_add', 'lru_move_tail', 'lru_deactivate_file', 'lru_deactivate',
  'lru_lazyfree', 'lru_activate', 'mlock'] as const;

/** enum lru_list (include/linux/mmzone.h). */
export const Lru = {
  INACTIVE_ANON: 0,
  ACTIVE_ANON: 1,
  INACTIVE_FILE: 2,
  ACTIVE_FILE: 3,
  UNEVICTABLE: 4,
} as const;
export const NR_LRU_LISTS = 5;
export const LRU_NAMES = ['inactive_anon', 'active_anon', 'inactive_file', 'active_file', 'unevictable'] as const;

/** Words of VM_EVENTS: the counts of count_vm_event() the model makes. */
export const VmEvent = {
  /** mm/memory.c wp_page_reuse(): a write fault reused its page (Peter Xu, "mm: Add PGREUSE counter", Aug 2020; v5.10 inferred). */
  PGREUSE: 0,
} as const;

/**
 * Machine-wide single words (the CTRL region), all atomic. Words that one CPU writes often while
 * another spins on them get a 64-byte line each (index = line × 16): otherwise every ticket taken
 * in free mode would steal the line an idle CPU is polling, and the harness, not the model, would
 * set the pace.
 */
export const Ctrl = {
  // line 0, read-mostly: set once per run or per abort
  /** main → workers: finish after the current iteration. */
  STOP: 0,
  /** an iteration must unwind (deadlock, watchdog); every wait checks it. */
  ABORT: 1,
  /** CPU0 → workers: the run is over (set with the last GEN bump). */
  DONE: 2,
  /** a CPU whose scenario code threw (cpu + 1; 0 none): the first to set it reports it (scenario-fault.ts). */
  USER_FAULT: 3,
  /** replay: length of the schedule to follow. */
  REPLAY_LEN: 4,
  /** controlled modes: the CPU (+ 1; 0 none) found livelocked in this iteration. */
  LIVELOCK: 5,
  // line 1, results: written by CPU0 between iterations
  /** iterations completed (the main thread polls it for progress). */
  ITER: 16,
  /** first iteration that produced a finding (-1 none), and that finding. */
  FIRST_FAIL_ITER: 17,
  DEADLOCKS: 19,
  /** iterations that ended in a livelock (cpu/finding-kind.ts). */
  LIVELOCKS: 18,
  VIOLATIONS: 20,
  /** decisions recorded for the first failure (controlled modes). */
  FAIL_LOG_LEN: 21,
  /** 1 forbidden outcome, 2 invariant violation, 3 deadlock, 4 scenario error, 5 unknown outcome, 6 livelock (Finding). */
  FAIL_KIND: 22,
  /** outcome index, or violation code, and its arguments. */
  FAIL_CODE: 23,
  FAIL_ARG0: 24,
  FAIL_ARG1: 25,
  FAIL_ARG2: 26,
  /** replay: first step (1-based) that could not be followed. */
  REPLAY_DIVERGED: 27,
  /** PCT: learned step count estimate (the longest iteration so far). */
  PCT_K: 28,
  /** the iteration now running. */
  CUR_ITER: 29,
  /** mean simulated time of an iteration so far (ns): its slowest CPU's clock (kernel/sim-time.ts). */
  SIM_MEAN_NS: 30,
  // one line each
  /** iteration barrier generation; CPU0 bumps it to start the next iteration. */
  GEN: 32,
  /** iteration barrier: CPUs whose actor finished. */
  ARRIVED: 48,
  /** global event ticket (free mode). */
  TICKET: 64,
  /** controlled modes: the CPU allowed to run (-1 none). */
  BATON: 80,
  /** controlled modes: preemption points passed in this iteration. */
  STEP: 96,
  /** free mode: CPUs inside Atomics.wait (wakers skip Atomics.notify when 0). */
  WAITERS: 112,
  // model words, one line each as a kernel would lay them out
  /** lru_add_drain_all's static lru_drain_gen (mm/swap.c). */
  LRU_DRAIN_GEN: 128,
  /** lru_add_drain_all's static mutex: 0 free, else holder cpu + 1. */
  DRAIN_ALL_MUTEX: 144,
  /** the (single) lruvec's lru_lock spinlock word. */
  LRU_LOCK: 160,
  /** lru_disable_count (mm/swap.c). */
  LRU_DISABLE_COUNT: 176,
  /** zone lock of the toy page allocator. */
  ZONE_LOCK: 192,
  /** the swap device's lock: si->lock and the swap cache's xarray lock in one word. */
  SWAP_LOCK: 208,
  // line 14, read-mostly: the swap device's kind, set by a scenario's setup
  /** SwapDevice bits (kernel/swapfile.ts): SWP_SYNCHRONOUS_IO, SWP_STABLE_WRITES. */
  SWAP_DEVICE: 224,
  // line 15, fed runs (cpu/feed.ts): the main thread hands CPU0 one schedule per iteration
  /** main → CPU0: bumped when REPLAY holds the next schedule to run (or STOP is set). */
  FEED_NEXT: 240,
  /** main → CPU0: the iteration number the next fed schedule runs as. */
  FEED_ITER: 241,
  /** CPU0 → main: bumped when a fed iteration has been judged (its results are in FAIL_*, SCHED_*). */
  FEED_DONE: 242,
  /** verify: footprint entries recorded this iteration (FP_LOG); written by the baton holder. */
  FP_LEN: 243,
  /** verify: 1 when FP_LOG ran out this iteration (its footprints are incomplete). */
  FP_LOST: 244,
} as const;
const CTRL_WORDS = 256;

/**
 * Observation only, not kernel state: the words of a CPU's BENCH_STAT line, counted by the hooks in
 * kernel/bench-stat.ts. Times are nanoseconds and are taken only when BENCH_TIMED is set.
 */
export const BenchStat = {
  /** lru_lock acquisitions by this CPU. */
  LRU_LOCK_ACQ: 0,
  /** total time this CPU held lru_lock (ns). */
  LRU_LOCK_HOLD_NS: 1,
  /** when the current lru_lock hold began (ns, modulo 2^32). */
  LRU_LOCK_T0: 2,
  /** folios this CPU's drains (lru_add_drain_cpu) moved; full-batch flushes and skipped folios not counted. */
  FOLIOS_MOVED: 3,
  /** drain work items this CPU queued on others (queue_work_on() that queued). */
  WORK_QUEUED: 4,
  /** drain work items this CPU ran (process_one_work()). */
  WORK_RUN: 5,
  /** lru_add_drain_all() calls of this CPU that relied on another caller's drain. */
  DRAIN_ALL_SKIPPED: 6,
  /** time this CPU slept in mutex_lock() and flush_work() (ns). */
  WAIT_NS: 7,
  /** time GUP spent in lru_add_drain() and lru_add_drain_all() on this CPU (ns). */
  GUP_DRAIN_NS: 8,
  /** lru_add_drain_all() calls GUP made on this CPU. */
  GUP_DRAIN_ALL_CALLS: 9,
  /**
   * this CPU's simulated clock (ns, kernel/sim-time.ts). Owned by that CPU during an iteration or
   * bench rep, by CPU0 between iterations (it zeroes every clock with the model state).
   */
  SIM_NOW: 10,
  /** lru_add_drain() calls of this CPU (the local drain; drain work run for lru_add_drain_all() not counted). */
  LRU_ADD_DRAIN_CALLS: 11,
} as const;
export const BENCH_STAT_WORDS = 12;

/** Words of a CPU's SIM_WORK line: when drain work was last queued to it, and when it completed (ns). */
export const SimWork = { QUEUED_AT: 0, DONE_AT: 1 } as const;

/** Words of the BENCH_SYNC region (one line each): the bench's rep protocol (src/drain-bench/rep.ts). */
export const BenchSync = {
  /** CPUs that have queued this rep's pending folios. */
  FILLED: 0,
  /** callers whose timed operation is over; background load stops when all are. */
  OP_DONE: 16,
} as const;

/**
 * Words of OBS_REF_HOLDERS (observation only): the folio whose migration refcount check failed,
 * its refcount then, and who held those references: mappings, the swap cache, isolation, FOLL_PIN
 * pins (each GUP_PIN_COUNTING_BIAS), other actor references, and up to REF_HOLDER_SLOTS per-CPU
 * batch slots as (cpu, batch, slot) triples from SLOTS on.
 */
export const RefHolders = {
  SEEN: 0, FOLIO: 1, REF: 2, MAPPINGS: 3, SWAPCACHE: 4, ISOLATED: 5, PINS: 6, EXTRA: 7, NSLOTS: 8, SLOTS: 9,
} as const;
export const REF_HOLDER_SLOTS = 7;
const REF_HOLDER_WORDS = RefHolders.SLOTS + 3 * REF_HOLDER_SLOTS;

/**
 * What each CPU's worker is doing (CPU_PHASE), for the supervisor's reports of a worker that hangs,
 * exits or dies (host/watchdog.ts). LOAD is 0: a fresh machine's workers are loading.
 */
export const Phase = { LOAD: 0, SETUP: 1, ACTOR: 2, CHECK: 3, IDLE: 4, DONE: 5 } as const;
export const PHASE_NAMES = ['load', 'setup', 'actor', 'check', 'idle', 'done'] as const;

/** Per-CPU scheduler state values (CPU_STATE). */
export const CpuState = { RUNNING: 0, BLOCKED: 1, IDLE: 2 } as const;

type Per = 'machine' | 'cpu' | 'agent' | 'sb-cpu' | 'sb-slot' | 'cpu-line' | 'folio-rec' | 'folio' | 'lru-node' | 'list' | 'mm' | 'pte' |
  'cpu-batch' | 'batch-slot' | 'trace' | 'schedule' | 'var' | 'outcome' | 'swap-slot' | 'fp-step' | 'fp';
interface RegionSpec { per: Per; words?: number; access: 'atomic' | 'owned' | 'static'; doc: string }

/** The machine's regions. Order is layout order. */
const REGIONS = {
  CTRL: { per: 'machine', words: CTRL_WORDS, access: 'atomic', doc: 'single words, see Ctrl' },
  // ── scheduler (controlled modes). Advanced only by the baton holder, but read by whoever takes the
  //    baton next, so atomic. ──
  SCHED_PRNG: { per: 'machine', words: 4, access: 'atomic', doc: 'xoshiro128** state of the strategy' },
  PCT_PRIO: { per: 'agent', access: 'atomic', doc: 'PCT priority of each CPU, then of each store buffer\'s flush' },
  PCT_CHANGE: { per: 'machine', words: 8, access: 'atomic', doc: 'PCT priority change points (steps)' },
  SCHED_LOG: { per: 'schedule', access: 'atomic', doc: 'this iteration: CPU chosen at each decision' },
  SCHED_MASK: { per: 'schedule', access: 'atomic', doc: 'replay: runnable CPUs (bit mask) at each decision' },
  REPLAY: { per: 'schedule', access: 'static', doc: 'replay: CPU to choose at each decision (a fed run: ' +
    'rewritten by the main thread only while every CPU waits for FEED_NEXT)' },
  FAIL_LOG: { per: 'schedule', access: 'owned', doc: 'first failure decisions; owner CPU0 at iteration end' },
  // ── per CPU ──
  CPU_STATE: { per: 'cpu-line', access: 'atomic', doc: 'CpuState; written by its CPU, read by the baton holder' },
  CPU_WAIT_ADDR: { per: 'cpu-line', access: 'atomic', doc: 'blocked CPU: word it waits on' },
  CPU_WAIT_VAL: { per: 'cpu-line', access: 'atomic', doc: 'blocked CPU: it waits while the word equals this' },
  CPU_WAIT_SLEEP: { per: 'cpu-line', access: 'atomic', doc: 'blocked CPU: 1 if the wait sleeps (may run work)' },
  CPU_SITE: { per: 'cpu-line', access: 'atomic', doc: 'last site id passed (deadlock and watchdog reports)' },
  CPU_PHASE: { per: 'cpu-line', access: 'atomic', doc: 'Phase; written by its CPU, read by the main thread' },
  CPU_DOORBELL: { per: 'cpu-line', access: 'atomic', doc: 'bumped + notified to wake an idle CPU (free mode)' },
  WORK_REQ: { per: 'cpu-line', access: 'atomic', doc: 'drain work queued to this CPU (count); queue_work_on' },
  WORK_DONE: { per: 'cpu-line', access: 'atomic', doc: 'WORK_REQ value the CPU last completed; flush_work' },
  WORK_START: { per: 'cpu-line', access: 'atomic', doc: 'WORK_REQ value the CPU last started (pending cleared)' },
  TRACE_LEN: { per: 'cpu-line', access: 'owned', doc: 'events in TRACE this iteration; owner: that CPU' },
  TRACE: { per: 'trace', access: 'owned', doc: '[ticket, site, folio, value] × traceCapacity per CPU' },
  FAIL_TRACE_LEN: { per: 'cpu', access: 'owned', doc: 'copy of TRACE_LEN for the first failure; owner CPU0' },
  FAIL_TRACE: { per: 'trace', access: 'owned', doc: 'copy of TRACE for the first failure; owner CPU0' },
  FAIL_SITES: { per: 'cpu', access: 'owned', doc: 'first failure: CPU_SITE of each CPU; owner CPU0' },
  FAIL_REF_HOLDERS: { per: 'machine', words: REF_HOLDER_WORDS, access: 'owned',
    doc: 'first failure: copy of OBS_REF_HOLDERS; owner CPU0' },
  FBATCH_NR: { per: 'cpu-batch', access: 'atomic', doc: 'folio_batch.nr: written by its CPU under local_lock, ' +
    'read racily by others in cpu_needs_drain()' },
  FBATCH_SLOT: { per: 'batch-slot', access: 'owned', doc: 'folio_batch.folios[]; owner: its CPU (under ' +
    'local_lock); slot i < FBATCH_NR is published by the Atomics store of FBATCH_NR' },
  // ── folios: one 64-byte record each (struct folio), fields in FolioField; the records of the
  //    five LRU list heads follow the folios' (only their LRU_NEXT/LRU_PREV are used) ──
  FOLIO_REC: { per: 'folio-rec', access: 'atomic', doc: 'struct folio records; per-field access in FOLIO_FIELDS' },
  LRU_SIZE: { per: 'list', access: 'owned', doc: 'lruvec lru_zone_size per list; owner: the lru_lock holder' },
  // ── page tables ──
  VM_FLAGS: { per: 'mm', access: 'atomic', doc: 'vm_flags of the mm\'s one anon vma (VM_LOCKED, kernel/mlock.ts); ' +
    'set by mlock_fixup(), read by faults on any CPU' },
  PTE: { per: 'pte', access: 'atomic', doc: 'pte_t, see Pte encoding in kernel/pgtable.ts' },
  PTL: { per: 'mm', access: 'atomic', doc: 'page table spinlock of each mm (one table per mm)' },
  WP_SEQ: { per: 'mm', access: 'atomic', doc: 'mm->write_protect_seq: odd while fork() write-protects the ' +
    'mm\'s PTEs; GUP-fast pins read it without any lock' },
  // ── the swap device. Every word is atomic: fault paths read them without the swap lock
  //    (swap cache lookup, swp_swapcount) while reclaim on another CPU changes them under it. ──
  SWAP_MAP: { per: 'swap-slot', access: 'atomic', doc: 'si->swap_map[]: user count | SWAP_HAS_CACHE; 0 = free slot' },
  SWAP_CACHE: { per: 'swap-slot', access: 'atomic', doc: 'swap cache: folio of each slot (-1 none)' },
  SWAP_DATA: { per: 'swap-slot', access: 'atomic', doc: 'what the device holds in each slot (a read returns it)' },
  SWAP_WB: { per: 'swap-slot', access: 'atomic', doc: 'write in flight: content submitted (stable-writes check)' },
  SWAP_WB_FOLIO: { per: 'swap-slot', access: 'atomic', doc: 'write in flight: the folio being written (-1 none)' },
  VM_EVENTS: { per: 'cpu-line', access: 'owned', doc: 'per-CPU vm event counters the model counts (include/linux/' +
    'vm_event_item.h, summed in /proc/vmstat), see VmEvent; owner: that CPU in an iteration, CPU0 between (reset, check)' },
  // ── observation only, not kernel state ──
  OBS_MIGRATE_FAIL: { per: 'machine', words: 4, access: 'atomic',
    doc: 'last failed migration refcount check: folio, ref, expected, batch refs' },
  OBS_REF_HOLDERS: { per: 'machine', words: REF_HOLDER_WORDS, access: 'atomic',
    doc: 'who held the references at the last failed migration refcount check, see RefHolders' },
  OBS_STABLE_WRITE: { per: 'machine', words: 4, access: 'atomic',
    doc: 'writes to a stable-writes device whose page changed in flight: count, folio, submitted, found' },
  SCN_VARS: { per: 'var', access: 'atomic', doc: 'scenario scratch words, reset every iteration' },
  // ── observation only: instrumentation for `foliorace bench drain` (kernel/bench-stat.ts, (src/drain-bench)) ──
  BENCH_TIMED: { per: 'machine', access: 'static',
    doc: '1: the bench-stat hooks also take clocks (lock holds, waits, drains); 0 in runs and tests' },
  BENCH_SYNC: { per: 'machine', words: 32, access: 'atomic', doc: 'bench rep protocol, see BenchSync' },
  BENCH_STAT: { per: 'cpu-line', access: 'owned', doc: 'per-CPU counters (BenchStat); owner: that CPU, ' +
    'which zeroes them when a bench rep starts; the bench caller reads them after the rep barrier' },
  // ── observation only: simulated time (kernel/sim-time.ts). Each CPU's clock is its BENCH_STAT
  //    SIM_NOW word (owned by that CPU); these stamps carry a release time from one CPU to the next. ──
  SIM_LOCK: { per: 'machine', words: 32, access: 'owned', doc: 'per CTRL line holding a lock word: ' +
    '[release time ns, last holder + 1]; owner: the holder of that lock (written before the Atomics release, ' +
    'read after the Atomics acquire)' },
  SIM_WORK: { per: 'cpu-line', access: 'atomic', doc: 'drain work of each CPU: SimWork times (ns), written by ' +
    'the queuer and by the kworker, read by the kworker and by flush_work()' },
  OUTCOME_COUNT: { per: 'outcome', access: 'atomic', doc: 'histogram of outcomes' },
  // ── verify mode only (empty otherwise): each step's footprint. Written by the baton holder (one CPU
  //    runs at a time; the baton's Atomics hand-over orders its writes before the next holder's), read
  //    by the main thread after FEED_DONE. ──
  FP_STEP: { per: 'fp-step', access: 'owned', doc: 'verify: FP_LEN when each step began; owner: the baton holder' },
  FP_LOG: { per: 'fp', access: 'owned', doc: 'verify: footprint entries (shm/footprint.ts); owner: the baton holder' },
  // ── store buffers (--memory tso; no words under sc, so the regions before keep their places).
  //    Written by the CPU that owns the buffer (its stores) and, in controlled modes, by whichever
  //    CPU holds the baton and takes a flush step; in free mode only by the owner. So atomic. ──
  SB_HEAD: { per: 'sb-cpu', access: 'atomic', doc: 'store buffer of each CPU: index of its oldest entry' },
  SB_LEN: { per: 'sb-cpu', access: 'atomic', doc: 'store buffer of each CPU: entries waiting to reach memory' },
  SB_ADDR: { per: 'sb-slot', access: 'atomic', doc: 'store buffer entries (a ring per CPU): the word stored to' },
  SB_VAL: { per: 'sb-slot', access: 'atomic', doc: 'store buffer entries: the value stored' },
} as const satisfies Record<string, RegionSpec>;

export type Region = keyof typeof REGIONS;
/**
 * Stride of a 'cpu-line' region: CPU c's word is at base + c * CPU_STRIDE, alone on its 64-byte
 * line, so one CPU's hot per-CPU word never shares a cache line with another's.
 */
export const CPU_STRIDE = 16;

/**
 * The fields of a folio record: word `L.FOLIO_X + folio * FOLIO_STRIDE`. One record is one 64-byte
 * line, as the kernel packs flags, refcount, mapcount and lru into struct page: a CPU that touches
 * a folio pulls one line, not one per field.
 */
export const FOLIO_STRIDE = 16;
const FOLIO_FIELDS = {
  FOLIO_FLAGS: { at: 0, access: 'atomic', doc: 'PG_* bits (Pg); include/linux/page-flags.h' },
  FOLIO_REF: { at: 1, access: 'atomic', doc: 'folio->_refcount' },
  FOLIO_MAPCOUNT: { at: 2, access: 'atomic', doc: 'folio->_mapcount + 1 (small folios)' },
  FOLIO_DATA: { at: 3, access: 'atomic', doc: 'page contents as one value (lost writes show)' },
  FOLIO_ZONE: { at: 4, access: 'static', doc: 'Zone.CMA or Zone.NORMAL' },
  FOLIO_ALLOC: { at: 5, access: 'atomic', doc: '1 while allocated (toy page allocator)' },
  FOLIO_MM: { at: 6, access: 'atomic', doc: 'anon rmap: mm of the (first) mapping' },
  FOLIO_INDEX: { at: 7, access: 'atomic', doc: 'anon rmap: address (pte index) in FOLIO_MM' },
  FOLIO_SWAP: { at: 8, access: 'atomic', doc: 'folio->swap: swap slot while PG_swapcache (-1 none)' },
  LRU_NEXT: { at: 9, access: 'owned', doc: 'folio->lru.next (a record number); owner: the lru_lock holder' },
  LRU_PREV: { at: 10, access: 'owned', doc: 'folio->lru.prev; owner: the lru_lock holder' },
  // observation only, not kernel state
  OBS_LIST: { at: 11, access: 'owned', doc: 'list the folio is linked on (-1 none); owner: the lru_lock holder' },
  OBS_ISOLATED: { at: 12, access: 'atomic', doc: 'isolation references held (ledger)' },
  OBS_PINS: { at: 13, access: 'atomic', doc: 'FOLL_PIN references held (ledger)' },
  OBS_EXTRA: { at: 14, access: 'atomic', doc: 'other references an actor holds (ledger)' },
} as const satisfies Record<string, { at: number; access: RegionSpec['access']; doc: string }>;
export type FolioField = keyof typeof FOLIO_FIELDS;
export const FOLIO_FIELD_NAMES = Object.keys(FOLIO_FIELDS) as FolioField[];
export const REGION_NAMES = Object.keys(REGIONS) as Region[];
export const TRACE_EVENT_WORDS = 4;
/** Set in a trace event's site word for a free-mode preemption point (a schedule step). */
export const DECISION_FLAG = 1 << 30;
/** Set in a trace event's site word for a store-buffer flush (--memory tso); its folio word is the buffer's CPU. */
export const FLUSH_FLAG = 1 << 29;

/** Base word index of every region plus the config it was computed for. */
export type Layout = { readonly [R in Region | FolioField]: number } & {
  readonly config: Readonly<MachineConfig>;
  readonly words: number;
  readonly sizes: { readonly [R in Region]: number };
};

function regionWords(spec: RegionSpec, c: MachineConfig): number {
  switch (spec.per) {
    case 'machine': return spec.words ?? 1;
    case 'cpu': return c.cpus;
    case 'agent': return scheduledAgents(c);
    case 'sb-cpu': return (c.storeBuffer ?? 0) > 0 ? c.cpus : 0;
    case 'sb-slot': return c.cpus * (c.storeBuffer ?? 0);
    case 'cpu-line': return c.cpus * CPU_STRIDE;
    case 'folio-rec': return (c.folios + NR_LRU_LISTS) * FOLIO_STRIDE;
    case 'folio': return c.folios;
    case 'lru-node': return c.folios + NR_LRU_LISTS;
    case 'list': return NR_LRU_LISTS;
    case 'mm': return c.mms;
    case 'pte': return c.mms * c.ptesPerMm;
    case 'cpu-batch': return c.cpus * NR_BATCHES;
    case 'batch-slot': return c.cpus * NR_BATCHES * c.batchSize;
    case 'trace': return c.cpus * c.traceCapacity * TRACE_EVENT_WORDS;
    case 'schedule': return c.scheduleCapacity;
    case 'var': return c.scenarioVars;
    case 'outcome': return c.outcomes;
    case 'swap-slot': return c.swapSlots;
    case 'fp-step': return c.footprints ? c.scheduleCapacity + 1 : 0;
    case 'fp': return c.footprints ?? 0;
  }
}

/**
 * What a controlled mode schedules: the CPUs, and under a store buffer one flush of each CPU's
 * buffer (pseudo-CPU ncpus + c flushes CPU c's oldest store), as Nidhugg schedules TSO buffers.
 */
export function scheduledAgents(c: Pick<MachineConfig, 'cpus' | 'storeBuffer'>): number {
  return (c.storeBuffer ?? 0) > 0 ? 2 * c.cpus : c.cpus;
}

const ALIGN = 16;
/** Upper bounds that keep one machine sane on a 24 GiB box; each names the field to lower. */
export const LIMITS: Partial<Record<keyof MachineConfig, number>> = {
  cpus: 256, folios: 1 << 20, mms: 4096, ptesPerMm: 1 << 16, swapSlots: 1 << 16, batchSize: 64,
  traceCapacity: 1 << 16, scheduleCapacity: 1 << 20, scenarioVars: 4096, outcomes: 64, footprints: 1 << 24,
  storeBuffer: 64,
};

/** Computes every region's base for `config`; throws a RangeError naming a bad field. */
export function computeLayout(config: MachineConfig): Layout {
  for (const [field, value] of Object.entries(config) as [keyof MachineConfig, number][]) {
    const max = LIMITS[field] ?? Number.MAX_SAFE_INTEGER;
    const min = field === 'cpus' || field === 'batchSize' || field === 'outcomes' ? 1 : 0;
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new RangeError(`MachineConfig.${field} must be an integer from ${min} to ${max} (got ${value})`);
    }
  }
  if (config.cmaFolios > config.folios) {
    throw new RangeError(`MachineConfig.cmaFolios (${config.cmaFolios}) exceeds MachineConfig.folios (${config.folios})`);
  }
  const base: Record<string, number> = {};
  const sizes: Record<string, number> = {};
  let at = 0;
  for (const name of REGION_NAMES) {
    const n = regionWords(REGIONS[name], config);
    base[name] = at;
    sizes[name] = n;
    at += Math.ceil(n / ALIGN) * ALIGN;
  }
  for (const f of FOLIO_FIELD_NAMES) base[f] = base['FOLIO_REC']! + FOLIO_FIELDS[f].at;
  return Object.freeze({ ...base, sizes: Object.freeze(sizes), words: at, config: Object.freeze({ ...config }) }) as Layout;
}

/** The documented access discipline of a region or folio field (used by the layout test and docs). */
export function regionAccess(r: Region | FolioField): RegionSpec['access'] {
  return r in FOLIO_FIELDS ? FOLIO_FIELDS[r as FolioField].access : REGIONS[r as Region].access;
}

/** Machine sizes of a run unless its scenario asks for more (Scenario.machine). */
export const MACHINE_DEFAULTS = {
  folios: 16, cmaFolios: 4, mms: 1, ptesPerMm: 16, swapSlots: 8,
  traceCapacity: 2048, scheduleCapacity: 20_000, scenarioVars: 16,
} as const;
