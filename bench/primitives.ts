// Micro-benchmarks of the model's primitives on one thread (tinybench): what one batch add, one
// drain of a full batch, and one isolate/putback cost, compared within one run; and what the
// argument checks of kernel.* (a user scenario's calls) add to the first task. The last two tasks
// split a full batch's life in two: the 30 adds alone, then the drain (batch move) alone, each
// with the other half done untimed around it.
import { Bench } from 'tinybench';
import { localMachine } from '../src/host/local-machine.js';
import { do_anonymous_page } from '../src/kernel/memory.js';
import { Zone } from '../src/kernel/page_alloc.js';
import { folio_activate, folio_deactivate, lru_add_drain } from '../src/kernel/swap.js';
import { folio_isolate_lru, folio_putback_lru } from '../src/kernel/vmscan.js';
import { kernel } from '../src/index.js';

export interface PrimitiveRow { name: string; nsPerOp: number; opsPerSecond: number }

export async function benchPrimitives(): Promise<PrimitiveRow[]> {
  const lm = localMachine('6.10', { folios: 64, cmaFolios: 0, ptesPerMm: 64 });
  const cpu = lm.cpus[0]!;
  const folios = Array.from({ length: 31 }, (_, i) => do_anonymous_page(cpu, 0, i, Zone.NORMAL, i));
  lru_add_drain(cpu);
  const f0 = folios[0]!;
  const almostFull = folios.slice(0, 30); // one short of a 31-folio batch: nothing flushes
  const reset = (): void => {
    lru_add_drain(cpu);
    for (const f of almostFull) folio_deactivate(cpu, f);
    lru_add_drain(cpu);
  };
  const queue = (): void => { for (const f of almostFull) folio_activate(cpu, f); };
  const bench = new Bench({ time: 400 });
  bench
    .add('folio_activate, drain, folio_deactivate, drain (1 folio)', () => {
      folio_activate(cpu, f0);
      lru_add_drain(cpu);
      folio_deactivate(cpu, f0);
      lru_add_drain(cpu);
    })
    .add('a full activate batch, then a full deactivate batch (31 folios)', () => {
      for (const f of folios) folio_activate(cpu, f);
      for (const f of folios) folio_deactivate(cpu, f);
    })
    // the same four calls as a user's scenario makes them: through kernel.*, each checking its arguments
    .add('the same through kernel.* (argument checks of a scenario\'s calls)', () => {
      kernel.folio_activate(cpu, f0);
      kernel.lru_add_drain(cpu);
      kernel.folio_deactivate(cpu, f0);
      kernel.lru_add_drain(cpu);
    })
    .add('folio_isolate_lru + folio_putback_lru + lru_add_drain', () => {
      folio_isolate_lru(cpu, f0);
      folio_putback_lru(cpu, f0);
      lru_add_drain(cpu);
    })
    .add('batch add: 30 folio_activate into an empty batch', queue, { beforeEach: reset })
    .add('drain of a full batch: lru_add_drain of 30 queued activations', () => lru_add_drain(cpu),
      { beforeEach(): void { reset(); queue(); } });
  await bench.run();
  return bench.tasks.map((t) => {
    const r = t.result as { latency?: { mean: number }; throughput?: { mean: number } } | undefined;
    const ms = r?.latency?.mean ?? NaN;
    return { name: t.name, nsPerOp: Math.round(ms * 1e6), opsPerSecond: Math.round(1000 / ms) };
  });
}
