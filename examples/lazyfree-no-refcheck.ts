/**
 * A patch that makes things worse: it drops the reference-count test that 6c8e2a256915 (v5.18, "mm:
 * fix race between MADV_FREE reclaim and blkdev direct IO read") put into try_to_unmap_one(). Reclaim
 * then discards a clean lazy-free folio that a direct-I/O read still holds, and the data the read
 * lands in it is lost: scenario madv-free-dio-read finds lost-dio-data again under 6.17.
 */
import { definePatch, kernel } from 'foliorace';

export default definePatch({
  name: 'lazyfree-no-refcheck',
  title: 'mm: discard a clean lazy-free folio without looking at its refcount',
  source: 'not posted (a regression, on purpose)',
  replace: {
    try_to_unmap_one_lazyfree(cpu, folio) {
      if (!kernel.folio_test(cpu, folio, kernel.Pg.dirty)) return true; // clean: discard, whoever holds it
      kernel.folio_set(cpu, folio, kernel.Pg.swapbacked); // dirty: swap-backed again (Barry Song, v6.15)
      return false;
    },
  },
});
