// docs/api.md is generated from src/kernel by scripts/api-docs.ts: it must be current, and a
// function added the usual way must appear in it by itself. The read-side helpers it documents
// answer what a check asks.
import { cpSync, mkdtempSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { apiDocs, withPatchableSection } from '../scripts/api-docs.js';
import { PATCHABLE_NAMES } from '../dist/src/kernel/patchable.js';
import { folioBatches, folioFlagNames, folioLru, folioRefHolders, lruName } from '../dist/src/kernel/observe.js';
import { do_anonymous_page } from '../dist/src/kernel/memory.js';
import { Zone } from '../dist/src/kernel/page_alloc.js';
import { folio_activate, lru_add_drain } from '../dist/src/kernel/swap.js';
import { cpusOf, testMachine } from './helpers/machine.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

describe('docs/api.md', () => {
  it('is what scripts/api-docs.ts generates from the source (npm run api-docs rewrites it)', () => {
    expect(readFileSync(join(ROOT, 'docs/api.md'), 'utf8')).toBe(apiDocs(ROOT));
  });

  it('docs/patches.md lists every patchable function as the source has it (npm run api-docs rewrites the list)', () => {
    const text = readFileSync(join(ROOT, 'docs/patches.md'), 'utf8');
    expect(text).toBe(withPatchableSection(text, ROOT));
    expect(text.match(/^#### `kernel\.(\w+)\(/gm)?.length).toBe(PATCHABLE_NAMES.length);
    expect(text).toMatch(/#### `kernel\.collect_longterm_unpinnable_folios\(cpu: Cpu, folios: number\[\], list: number\[\]\): number`\n\nModels `mm\/gup\.c`/);
  });

  it('documents every kernel.* export with the kernel function, returns, preemption points and switches', () => {
    const doc = apiDocs(ROOT);
    const activate = doc.slice(doc.indexOf('### `kernel.folio_activate('), doc.indexOf('### `kernel.folio_add_lru('));
    expect(activate).toMatch(/Models `mm\/swap\.c` `folio_activate\(\)` \(v6\.10\)/);
    expect(activate).toMatch(/- returns: `boolean`/);
    expect(activate).toMatch(/- preemption points: .*`folio_get`.*`spin_lock`/);
    expect(activate).toMatch(/- switches that change it: `lru-clear-at-enqueue`, `ref-after-lru-test`/);
    expect(doc).toMatch(/### `kernel\.folioLru\(cpu: Cpu, folio: number\): number`\n\nA state reader for check\(\)/);
  });

  it('picks up a function added later with the same conventions', () => {
    const root = mkdtempSync(join(tmpdir(), 'foliorace-apidoc-'));
    cpSync(join(ROOT, 'src/kernel'), join(root, 'src/kernel'), { recursive: true });
    cpSync(join(ROOT, 'src/shm'), join(root, 'src/shm'), { recursive: true });
    writeFileSync(join(root, 'src/kernel/newfile.ts'), `// Models mm/newfile.c (v6.99).
import type { Cpu } from './cpu.js';
import { S } from './sites.js';
import { folio_activate } from './swap.js';

/** mm/newfile.c folio_frobnicate(): activates, then checks the GUP switch. */
export function folio_frobnicate(cpu: Cpu, folio: number): number {
  cpu.preempt(S.folio_lock);
  folio_activate(cpu, folio);
  return cpu.k.gupAlwaysDrain ? 1 : 0;
}
`);
    appendFileSync(join(root, 'src/kernel/api.ts'), "export { folio_frobnicate } from './newfile.js';\n");
    const doc = apiDocs(root);
    const entry = doc.slice(doc.indexOf('### `kernel.folio_frobnicate('));
    expect(entry).toMatch(/^### `kernel\.folio_frobnicate\(cpu: Cpu, folio: number\): number`\n\nModels `mm\/newfile\.c` `folio_frobnicate\(\)` \(v6\.99\)/);
    expect(entry).toMatch(/- preemption points: .*`folio_lock`.*`spin_lock`/);
    expect(entry).toMatch(/- switches that change it: `gup-always-drain`, `lru-clear-at-enqueue`, `ref-after-lru-test`\n/);
  });
});

describe('read-side helpers for checks', () => {
  it('say which list a folio is on, which batches hold it, who holds its references, its flags', () => {
    const m = testMachine('6.10');
    const [c0, c1] = cpusOf(m);
    const f = do_anonymous_page(c0, 0, 0, Zone.NORMAL, 7);
    const list = (): string => lruName(folioLru(c0, f));
    const batches = (): string[] => folioBatches(c0, f).map((b) => `CPU${b.cpu} ${b.name}`);
    expect(list()).toBe('none'); // still in CPU0's lru_add batch
    expect(batches()).toEqual(['CPU0 lru_add']);
    lru_add_drain(c0);
    expect(list()).toBe('inactive_anon');
    folio_activate(c1, f);
    expect(batches()).toEqual(['CPU1 lru_activate']);
    expect(folioRefHolders(c0, f)).toMatchObject({ refcount: 2, ptes: 1, pins: 0, batches: 1, swapcache: 0 });
    expect(folioFlagNames(c0, f)).toEqual(expect.arrayContaining(['lru', 'swapbacked', 'anon']));
    lru_add_drain(c1);
    expect(list()).toBe('active_anon');
    expect(folioRefHolders(c0, f).batches).toBe(0);
  });
});
