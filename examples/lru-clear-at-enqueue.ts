/**
 * 33dfe9204f29 (v6.11) "mm/gup: clear the LRU flag of a page before adding to LRU batch", on 6.10:
 * a batch op wins PG_lru when it queues a folio, so GUP sees a queued folio as off the LRU and
 * drains first; the drain no longer tests PG_lru. As `--kernel 6.10 --patch lru-clear-at-enqueue=on`.
 */
import { definePatch, kernel, type BatchId, type Cpu } from 'foliorace';

const { Batch, Pg, folio_test: test } = kernel;
const has = (flags: number, bit: number): boolean => (flags & (1 << bit)) !== 0;
const queue = (cpu: Cpu, folio: number, batch: BatchId): boolean => kernel.folio_batch_add_and_move(cpu, folio, batch, true);

export default definePatch({
  name: 'lru-flag-at-enqueue',
  title: 'mm/gup: clear the LRU flag of a page before adding to LRU batch',
  source: '33dfe9204f29 (v6.11)',
  replace: {
    folio_batch_add_and_move(cpu, folio, batch, onLru) {
      kernel.folio_get(cpu, folio);
      if (onLru && !kernel.folio_test_clear(cpu, folio, Pg.lru)) {
        kernel.folio_put(cpu, folio);
        return false;
      }
      kernel.local_lock(cpu);
      const full = kernel.folio_batch_add(cpu, batch, folio) === 0;
      if (full || kernel.lru_cache_disabled(cpu)) kernel.folio_batch_move_lru(cpu, cpu.id, batch);
      kernel.local_unlock(cpu);
      return true;
    },
    folio_batch_move_lru_claim: () => true, // the op that queued the folio won its PG_lru
    // the ops no longer require PG_lru before queueing: folio_batch_add_and_move() wins it
    folio_activate: (cpu, f) => !test(cpu, f, Pg.active) && !test(cpu, f, Pg.unevictable) && queue(cpu, f, Batch.lru_activate),
    folio_deactivate: (cpu, f) => !test(cpu, f, Pg.unevictable) && test(cpu, f, Pg.active) && queue(cpu, f, Batch.lru_deactivate),
    folio_mark_lazyfree: (cpu, f, flags = kernel.folio_flags(cpu, f)) => has(flags, Pg.anon) && has(flags, Pg.swapbacked) &&
      !has(flags, Pg.swapcache) && !has(flags, Pg.unevictable) && queue(cpu, f, Batch.lru_lazyfree),
    folio_rotate_reclaimable: (cpu, f, flags = kernel.folio_flags(cpu, f)) => !has(flags, Pg.locked) && !has(flags, Pg.dirty) &&
      !has(flags, Pg.unevictable) && queue(cpu, f, Batch.lru_move_tail),
  },
});
