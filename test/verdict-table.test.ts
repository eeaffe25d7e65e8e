// The verdict table of docs/corpus.md (scripts/verdict-table.ts): every built-in scenario has the
// switches that decide it, every "found" links a failure file that is there, and no file is left
// unlinked.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DECIDED_BY, notApplicable } from '../scripts/verdict-table.js';
import { PATCHES, resolveProfile } from '../dist/src/kernel/profile.js';
import { BUILTIN_SCENARIOS } from '../dist/src/scenarios/index.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

describe('the verdict table', () => {
  it('names, for every built-in scenario, switches that exist', () => {
    const switches = new Set(PATCHES.map((p) => p.name));
    for (const s of BUILTIN_SCENARIOS) {
      const by = DECIDED_BY[s.name];
      expect(by, s.name).toBeDefined();
      if (typeof by !== 'string') for (const n of by!) expect(switches.has(n), `${s.name}: ${n}`).toBe(true);
    }
  });

  it('calls a scenario not applicable only to profiles whose mainline base predates its mechanism', () => {
    expect(notApplicable('gup-longterm-never-lru', resolveProfile('3.14-madvfree-v3'))).toMatch(/before v5\.1: .*9a4e9f3b2d73/);
    expect(notApplicable('gup-longterm-never-lru', resolveProfile('5.17'))).toBeNull();
    expect(notApplicable('swapin-skip-cache-race', resolveProfile('3.14-madvfree-naive'))).toMatch(/before v4\.15/);
    expect(notApplicable('madv-free-dio-read', resolveProfile('3.14-madvfree-naive'))).toBeNull();
  });

  it('links a failure file for every found cell, each one there, none unlinked', () => {
    const corpus = readFileSync(join(ROOT, 'docs/corpus.md'), 'utf8');
    const verdicts = corpus.slice(corpus.indexOf('## Verdicts'));
    const rows = verdicts.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows.length).toBe(BUILTIN_SCENARIOS.length);
    const found = rows.flatMap((r) => r.split(' | ').filter((c) => c.includes('**found**')));
    const linked = found.map((c) => /\(verdicts\/failures\/([^)]+)\)/.exec(c)?.[1]);
    expect(linked.every((f) => f !== undefined)).toBe(true);
    expect(new Set(linked)).toEqual(new Set(readdirSync(join(ROOT, 'docs/verdicts/failures'))));
  });
});
