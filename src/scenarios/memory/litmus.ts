// The litmus tests of litmus-tests.ts as scenarios (docs/memory.md): one per test, named litmus-NAME, its
// `exists` clause the forbidden outcome, so that a run says whether the model can reach it. Kept
// apart from the built-in scenarios, as the selftests are; `run` and `replay` find them by name.
import { defineScenario, kernel, type Cpu, type Scenario } from '../../scenario/index.js';
import { LITMUS_TESTS, type LitmusTest, type Op } from './litmus-tests.js';

/** Scenario variables: x, y, z, the spinlock's word, then one register word per thread. */
const LOCK = 3;
const REGS = 4;
/** Registers a thread keeps, packed 8 bits each into its register word. */
const REG_BITS = 8;

function exec(cpu: Cpu, op: Op, regs: number[]): void {
  const lock = cpu.L.SCN_VARS + LOCK;
  switch (op.op) {
    case 'w': kernel.WRITE_ONCE(cpu, op.x, op.v); break;
    case 'r': regs.push(kernel.READ_ONCE(cpu, op.x)); break;
    case 'rel': kernel.smp_store_release(cpu, op.x, op.v); break;
    case 'acq': regs.push(kernel.smp_load_acquire(cpu, op.x)); break;
    case 'mb': kernel.smp_mb(cpu); break;
    case 'lock': kernel.spin_lock(cpu, lock); break;
    case 'unlock': kernel.spin_unlock(cpu, lock); break;
  }
}

function litmusScenario(t: LitmusTest): Scenario {
  return defineScenario({
    name: `litmus-${t.name}`,
    summary: `litmus test ${t.name}: exists (${t.clause}); x86-TSO ${t.tso}`,
    seeds: [t.source ?? `tools/memory-model/litmus-tests/${t.name}.litmus`],
    cpus: t.threads.length,
    outcomes: { exists: 'forbidden', 'not exists': 'acceptable' },
    // no kernel code runs: any profile gives the same answer
    before: '6.17',
    after: '6.17',
    // a scenario states what it expects under sc (tso cells carry none), and under sequential
    // consistency no litmus test's exists clause holds: without this, its profile (before and
    // after alike) would default to 'found' and a campaign's sc cell would disagree
    expect: { '6.17': 'never' },
    setup() {},
    actor(cpu, vars) {
      const regs: number[] = [];
      for (const op of t.threads[cpu.id]!) exec(cpu, op, regs);
      vars.set(REGS + cpu.id, regs.reduce((w, v, i) => w | (v << (REG_BITS * i)), 0));
    },
    check(_cpu, vars) {
      const regs = t.threads.map((ops, c) => ops.filter((o) => o.op === 'r' || o.op === 'acq')
        .map((_o, i) => (vars.get(REGS + c) >>> (REG_BITS * i)) & ((1 << REG_BITS) - 1)));
      return t.exists(regs, [0, 1, 2].map((x) => vars.get(x))) ? 'exists' : 'not exists';
    },
  });
}

export const LITMUS_SCENARIOS: readonly Scenario[] = LITMUS_TESTS.map(litmusScenario);
