// The layers of src/ (docs/architecture.md, "Layers"): no file imports the public entry, the
// folders import one way only, the built-in scenarios use only the authoring surface, and a CPU
// worker's bundle holds the model and cpu/ but none of the main thread's code.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderCycles, folderOf, importsOf, SRC, srcImports, workerBundleModules, type ImportEdge } from '../helpers/imports.js';

/** What each folder (or top-level file) of src/ may import at run time, besides itself. */
const MAY_IMPORT: Record<string, readonly string[]> = {
  'shm': [],
  'sched': ['shm'],
  'kernel': ['shm'],
  'scenario': ['shm', 'kernel', 'sched'],
  'scenarios': ['scenario'],
  'errors.ts': [],
  'model-hash.ts': [],
  'version.ts': ['model-hash.ts', 'sched'],
  'cpu': ['shm', 'kernel', 'sched', 'scenario', 'scenarios', 'errors.ts'],
  'host': ['shm', 'kernel', 'sched', 'scenario', 'cpu', 'errors.ts'],
  'load': ['shm', 'kernel', 'sched', 'scenario', 'scenarios', 'cpu', 'host', 'errors.ts', 'version.ts'],
  // rendering only, to the side: the model's words, no runner
  'report': ['shm', 'kernel', 'sched', 'scenarios'],
  'repro': ['shm', 'kernel', 'sched', 'scenario', 'cpu', 'host', 'load', 'report', 'errors.ts', 'version.ts'],
  'api': ['shm', 'kernel', 'sched', 'scenario', 'scenarios', 'cpu', 'host', 'load', 'repro', 'report', 'errors.ts', 'version.ts'],
  'drain-bench': ['shm', 'kernel', 'sched', 'cpu', 'host', 'report', 'errors.ts'],
  'campaign': ['shm', 'kernel', 'sched', 'scenario', 'scenarios', 'host', 'load', 'repro', 'api', 'report', 'drain-bench',
    'errors.ts', 'version.ts'],
  'init': ['version.ts'],
  'cli': ['shm', 'kernel', 'sched', 'scenario', 'scenarios', 'host', 'load', 'repro', 'api', 'report', 'drain-bench', 'campaign',
    'init', 'errors.ts', 'version.ts'],
  'index.ts': ['scenario', 'api'],
};

/** The run-time imports of src/ that cross to a folder their folder may not import. */
function againstDirection(edges: readonly ImportEdge[]): string[] {
  return edges.filter((e) => e.runtime && e.spec.startsWith('.') && folderOf(e.from) !== folderOf(e.to))
    .filter((e) => !(MAY_IMPORT[folderOf(e.from)] ?? []).includes(folderOf(e.to)))
    .map((e) => `${e.from} → ${e.to}`);
}

const edge = (from: string, to: string, runtime = true): ImportEdge => ({ from, to, spec: `./${to}`, runtime });

describe('src/ layers', () => {
  const edges = srcImports();

  it('reads the graph: hundreds of imports, type-only ones told apart', () => {
    expect(edges.length).toBeGreaterThan(300);
    const f = join(SRC, 'cpu', 'x.ts');
    expect(importsOf(f, "import type { A } from '../api/run.js';\nimport { type B, type C } from '../host/pool.js';")
      .map((e) => e.runtime)).toEqual([false, false]);
    expect(importsOf(f, "import { type B, c } from '../host/pool.js';\nexport * from '../load/load.js';\nawait import('../repro/failure.js');")
      .map((e) => [e.to, e.runtime])).toEqual([['host/pool.ts', true], ['load/load.ts', true], ['repro/failure.ts', true]]);
  });

  it('no file under src/ imports the public entry src/index.ts', () => {
    expect(edges.filter((e) => e.to === 'index.ts').map((e) => e.from)).toEqual([]);
  });

  it('no circle between folders of src/ (circles inside one folder, as in kernel/, stay)', () => {
    expect(folderCycles(edges)).toEqual([]);
    expect(folderCycles([edge('cpu/a.ts', 'host/b.ts'), edge('host/b.ts', 'load/c.ts'), edge('load/c.ts', 'cpu/d.ts')]))
      .toEqual([['cpu', 'host', 'load', 'cpu']]);
    expect(folderCycles([edge('cpu/a.ts', 'host/b.ts'), edge('host/b.ts', 'cpu/c.ts', false)])).toEqual([]);
    expect(folderCycles([edge('kernel/a.ts', 'kernel/b.ts'), edge('kernel/b.ts', 'kernel/a.ts')])).toEqual([]);
  });

  it('every folder imports only the layers below it', () => {
    const folders = new Set(edges.map((e) => folderOf(e.from)));
    expect([...folders].filter((f) => !(f in MAY_IMPORT))).toEqual([]);
    expect(againstDirection(edges)).toEqual([]);
    expect(againstDirection([edge('report/a.ts', 'host/pool.ts'), edge('report/b.ts', 'api/run.ts', false)])).toEqual(['report/a.ts → host/pool.ts']);
  });

  it('the built-in scenarios import only the authoring surface src/scenario/index.ts, or each other', () => {
    const bad = edges.filter((e) => folderOf(e.from) === 'scenarios' && e.to !== 'scenario/index.ts' && folderOf(e.to) !== 'scenarios');
    expect(edges.filter((e) => folderOf(e.from) === 'scenarios').length).toBeGreaterThan(20);
    expect(bad.map((e) => `${e.from} → ${e.spec}`)).toEqual([]);
  });

  it("a CPU worker's bundle holds no module of the main thread's folders", async () => {
    const inputs = await workerBundleModules();
    expect(inputs.some((p) => p.startsWith('kernel/')) && inputs.some((p) => p.startsWith('cpu/'))).toBe(true);
    const MAIN_ONLY = ['host', 'load', 'repro', 'api', 'report', 'campaign', 'cli', 'drain-bench', 'init', 'index.ts'];
    expect(inputs.filter((p) => MAIN_ONLY.includes(folderOf(p)))).toEqual([]);
  });

  it('the public entry is the union of the authoring surface and the run API', async () => {
    const text = readFileSync(join(SRC, 'index.ts'), 'utf8');
    expect(importsOf(join(SRC, 'index.ts'), text).map((e) => e.to).sort()).toEqual(['api/index.ts', 'scenario/index.ts']);
  });
});
