import { describe, expect, it } from 'vitest';
import { mergeShards } from '../../../src/campaign/merge.js';
import { campaignExitCode } from '../../../src/campaign/verdict.js';
import { CELLS, shard, unit } from '../../helpers/campaign.js';

const at = (path: string, r: ReturnType<typeof shard>) => ({ path, result: r });

describe('merge', () => {
  const three = [at('a', shard(1, 3, [0, 3])), at('b', shard(2, 3, [1, 4])), at('c', shard(3, 3, [2, 5]))];

  it('sums each cell over its seeds, in the order of the campaign\'s cells', () => {
    const m = mergeShards(three);
    expect(m.cells.map((c) => [c.kernel, c.seeds, c.iterationsRun, c.forbidden])).toEqual([
      ['6.10', ['0', '1', '2'], 300, 1 + 3 + 5],
      ['6.11', ['0', '1', '2'], 300, 0],
    ]);
    expect(m.cells[0]!.outcomes).toEqual([
      { name: 'pinned-after-migration', kind: 'acceptable', count: 300 - 9 },
      { name: 'pin-failed-batch-ref', kind: 'forbidden', count: 9 },
    ]);
    expect(m.cells.map((c) => [c.found, c.agrees])).toEqual([[true, true], [false, true]]);
    expect(campaignExitCode(m.cells, 'expectation')).toBe(0);
    expect(campaignExitCode(m.cells, 'finding')).toBe(1);
  });

  it('keeps one failure per distinct cell, outcome and schedule', () => {
    expect(mergeShards(three).failures.map((f) => f.seed)).toEqual(['0', '2']);
  });

  it('refuses a missing shard, naming it, unless --partial, which lists the units without a result', () => {
    expect(() => mergeShards([three[0]!, three[2]!])).toThrow(/missing shard 2\/3: 2 of 6 units have no result/);
    const m = mergeShards([three[0]!, three[2]!], { partial: true });
    expect(m.missingUnits).toEqual([1, 4]);
    expect(m.warnings[0]).toMatch(/missing shard 2\/3/);
  });

  it('refuses a stopped shard as incomplete', () => {
    const stopped = at('b', shard(2, 3, [1], { assigned: [1, 4], complete: false }));
    expect(() => mergeShards([three[0]!, stopped, three[2]!])).toThrow(/incomplete shard 2\/3 \(b: stopped early\)/);
  });

  it('refuses a shard given twice, naming both places', () => {
    expect(() => mergeShards([...three, at('d', shard(2, 3, [1, 4]))])).toThrow(/shard 2\/3 is given twice: b and d/);
  });

  it('refuses results of another campaign, and of another split', () => {
    const other = shard(2, 3, [1, 4]);
    other.campaign = { ...other.campaign, name: 'other', hash: 'eeeeffff00001111' };
    expect(() => mergeShards([three[0]!, at('x', other), three[2]!])).toThrow(/x is from another campaign \("other", hash eeeeffff00001111\)/);
    expect(() => mergeShards([three[0]!, at('y', shard(2, 4, [1, 4]))])).toThrow(/y is shard 2\/4 but a is 1\/3/);
  });

  it('warns when the shards ran different foliorace versions', () => {
    const m = mergeShards([three[0]!, at('b', shard(2, 3, [1, 4], { foliorace: { version: '0.2.0' } })), three[2]!]);
    expect(m.warnings).toEqual([expect.stringMatching(/different foliorace builds: 1\/3 0.1.0, 2\/3 0.2.0, 3\/3 0.1.0/)]);
  });

  describe('a verify cell in parts', () => {
    const cell = { ...CELLS[1]!, key: 'gup-longterm-vs-activate · 6.11 · verify parts=2', mode: 'verify' as const, parts: 2 };
    /** Part `part` of seed 1: `own` of `subtrees` subtrees, `classes` classes. */
    const part = (id: number, p: number, own: number, subtrees: number, classes: number, complete = true) => ({
      ...unit(1), unit: id, cell: cell.key, seed: '1', part: p, failure: null, verify: { classes, complete, part: { subtrees, own } },
    });
    const two = (a: ReturnType<typeof part>, b: ReturnType<typeof part>) => [
      at('a', shard(1, 2, [0], { campaign: { ...shard(1, 2, []).campaign, units: 2, cells: [cell] }, units: [a] })),
      at('b', shard(2, 2, [1], { campaign: { ...shard(1, 2, []).campaign, units: 2, cells: [cell] }, units: [b] })),
    ];

    it('adds the parts\' classes up; verified when the parts covered every subtree', () => {
      const m = mergeShards(two(part(0, 1, 3, 5, 40), part(1, 2, 2, 5, 60)));
      expect(m.cells[0]!.verify).toEqual({ classes: 100, complete: true, parts: { count: 2, subtrees: 5, explored: 5 } });
      expect(m.cells[0]!.seeds).toEqual(['1']);
    });

    it('a part stopped early leaves its subtrees unexplored: not complete', () => {
      const m = mergeShards(two(part(0, 1, 3, 5, 40), part(1, 2, 2, 5, 10, false)));
      expect(m.cells[0]!.verify).toEqual({ classes: 50, complete: false, parts: { count: 2, subtrees: 5, explored: 3 } });
    });

    it('parts that walked different tops (other builds) do not make one tree, and merge says so', () => {
      const m = mergeShards(two(part(0, 1, 3, 5, 40), part(1, 2, 2, 6, 60)));
      expect(m.cells[0]!.verify?.complete).toBe(false);
      expect(m.warnings).toEqual([expect.stringMatching(/seed 1: its parts walked different tops \(5, 6 subtrees\)/)]);
    });
  });
});
