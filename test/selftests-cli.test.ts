// foliorace selftests: the matrix, the catalogue, and its usage errors (exit 2, one line).
import { describe, expect, it } from 'vitest';
import { selftestMatrix } from '../dist/src/report/selftests.js';
import { usageErrorCases } from './helpers/cli.js';
import { run } from './helpers/in-process.js';
import { schemaErrors } from './helpers/schemas.js';

describe('foliorace selftests', () => {
  describe('usage errors: exit 2, one line', () => {
    usageErrorCases(([
      ['an unknown profile', ['--kernels', '5.18,9.9'], /--kernels: unknown kernel profile "9.9"/],
      ['a filter that selects nothing', ['--cases', 'no such case'], /--cases "no such case" matches no in-scope selftest case/],
      ['free mode without a duration', ['--mode', 'free'], /--mode free needs --duration/],
      ['a positional argument', ['cow'], /selftests takes no positional argument/],
      ['a flag of run', ['--patch', 'gup-unshare=off'], /foliorace selftests does not take --patch/],
    ] as const).map(([what, args, message]) => [what, ['selftests', ...args], message] as const));
  });

  it('--all lists every case of both selftests with the kernel\'s results, within 100 columns', async () => {
    const r = await run('selftests', '--all');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('cow.c: R/O GUP pin on R/O-mapped shared page');
    expect(r.stdout).toContain('gup_longterm.c: R/W longterm GUP pin in MAP_SHARED file mapping');
    for (const line of r.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    const json = await run('selftests', '--all', '--json');
    expect(schemaErrors('selftest-catalogue', JSON.parse(json.stdout))).toEqual([]);
  });

  it('runs the matrix: R/O pins fail under 5.18 and pass under 5.19, as in the kernel (exit 0)', async () => {
    const r = await run('selftests', '--kernels', '5.18,5.19', '--cases', 'R/O GUP pin on R/O-mapped shared page', '--iterations', '200', '--json');
    expect(r.code).toBe(0);
    expect(schemaErrors('selftests', JSON.parse(r.stdout))).toEqual([]);
    const out = JSON.parse(r.stdout) as { rows: { title: string; cells: Record<string, { kernel: string; model: string; agrees: boolean }> }[] };
    expect(out.rows.map((x) => x.title)).toEqual(['R/O GUP pin on R/O-mapped shared page ... with base page',
      'R/O GUP pin on R/O-mapped shared page ... with swapped out base page']);
    for (const row of out.rows) {
      expect(row.cells['5.18']).toMatchObject({ kernel: 'fail', model: 'fail', agrees: true });
      expect(row.cells['5.19']).toMatchObject({ kernel: 'pass', model: 'pass', agrees: true });
    }
  });

  it('the matrix marks a disagreement with "!" and counts it', () => {
    const cell = (kernel: 'pass' | 'fail', model: 'pass' | 'fail') =>
      ({ kernel, model, agrees: kernel === model, iterations: 10, failed: model === 'fail' ? 10 : 0, violations: 0 });
    const text = selftestMatrix([{ file: 'cow.c', title: 'Basic COW after fork() ... with base page', scenario: 'x',
      cells: { '5.18': cell('pass', 'fail'), '5.19': cell('pass', 'pass') } }], ['5.18', '5.19']);
    expect(text).toMatch(/\.\.\. with base page\s+FAIL!\s+pass/);
    expect(text).toContain('2 runs, 1 disagree with the kernel');
  });
});
