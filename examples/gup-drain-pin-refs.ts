/**
 * The 2026 fix for always draining (akpm/mm mm-unstable, "mm/gup: fix always draining LRU caches in
 * collect_longterm_unpinnable_folios()"), as a patch on 6.17. 98c6d259319e drains when a folio's
 * refcount is not its expected count + 1, but the caller's own FOLL_PIN added GUP_PIN_COUNTING_BIAS
 * to a small folio's, so the test always held and every pin drained every CPU. Counting the pin's
 * own references, it drains only when a batch may still hold one. As `--patch gup-drain-pin-refs=on`.
 */
import { definePatch, kernel, type Cpu } from 'foliorace';

/** References GUP cannot account for: neither mappings, nor the swap cache, nor the pin itself. */
const unexpectedRefs = (cpu: Cpu, folio: number): boolean =>
  kernel.folio_ref_count(cpu, folio) !== kernel.folio_expected_ref_count(cpu, folio) + kernel.GUP_PIN_COUNTING_BIAS;

export default definePatch({
  name: 'pin-refs-drain',
  title: 'mm/gup: fix always draining LRU caches in collect_longterm_unpinnable_folios()',
  source: 'akpm/mm mm-unstable, 2026',
  replace: {
    collect_longterm_unpinnable_folios(cpu, folios, list) {
      let collected = 0;
      let drained = 0; // 6.17 (a09a8a1fbb37): this CPU's batches first (1), every CPU's if still needed (2)
      for (const [i, folio] of folios.entries()) {
        if ((i > 0 && folio === folios[i - 1]) || kernel.folio_is_longterm_pinnable(cpu, folio)) continue;
        collected++;
        if (drained === 0 && unexpectedRefs(cpu, folio)) {
          kernel.lru_add_drain(cpu);
          drained = 1;
        }
        if (drained === 1 && unexpectedRefs(cpu, folio)) {
          kernel.lru_add_drain_all(cpu);
          drained = 2;
        }
        if (kernel.folio_isolate_lru(cpu, folio)) list.push(folio);
      }
      return collected;
    },
  },
});
