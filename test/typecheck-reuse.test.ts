// A process that type-checks several files parses the declarations they share once
// (src/load/typecheck.ts): the reuse must never hide a change. A declaration file edited between two
// checks is read again, and its new error is reported at its line.
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { typecheckFile } from '../dist/src/load/typecheck.js';

describe('type-checks in one process', () => {
  it('a declaration file edited between two checks is checked as it is now', () => {
    const dir = mkdtempSync(join(tmpdir(), 'foliorace-tc-'));
    const decl = join(dir, 'limits.d.ts');
    const scenario = join(dir, 'uses-limits.ts');
    writeFileSync(decl, 'export declare const LIMIT: number;\n');
    writeFileSync(scenario, "import { LIMIT } from './limits';\nexport const doubled: number = LIMIT * 2;\n");
    expect(typecheckFile(scenario)).toEqual([]);
    writeFileSync(decl, 'export declare const LIMIT: string;\n');
    utimesSync(decl, new Date(), new Date(Date.now() + 5000)); // a later mtime, whatever the file system's resolution
    expect(typecheckFile(scenario)).toEqual([expect.stringMatching(/uses-limits\.ts:2:\d+ The left-hand side of an arithmetic operation must be/)]);
  });
});
