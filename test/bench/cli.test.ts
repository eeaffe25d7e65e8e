// `foliorace bench drain` from the command line: its JSON, its picture, and bad input.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, usageErrorCases } from '../helpers/cli.js';
import { tempOut } from '../helpers/dist.js';
import { schemaErrors } from '../helpers/schemas.js';

describe('foliorace bench drain: bad input is exit 2 with one line', () => {
  const cases: [string, string[], RegExp][] = [
    ['zero CPUs', ['--cpus', '0'], /--cpus must be an integer from 1 to 256 \(got "0"\)/],
    ['CPUs that are not numbers', ['--cpus', 'abc'], /--cpus must be an integer/],
    ['an empty list item', ['--cpus', '1,,2'], /--cpus needs a comma-separated list/],
    ['a batch size the kernel never had', ['--batch', '7'], /--batch takes the kernel's batch sizes 15 and 31 \(got "7"\)/],
    ['an unknown fill level', ['--fill', 'some'], /--fill takes none, one, half, all \(got "some"\)/],
    ['more pending folios than a batch holds', ['--per-cpu', '15'], /--per-cpu must be an integer from 1 to 14/],
    ['an unknown kernel', ['--kernel', '9.9'], /unknown kernel profile "9.9"/],
    ['an option of run', ['--mode', 'pct'], /foliorace bench does not take --mode/],
  ];
  usageErrorCases(cases.map(([what, args, message]) => [what, ['bench', 'drain', ...args], message] as const));

  it('an unknown experiment name', () => {
    const r = cli('bench', 'frob');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bench takes one experiment, drain/);
  });
});

describe('foliorace bench drain --json --plot (CPUs 1,2; 2 reps)', () => {
  const dir = tempOut();
  const svgPath = join(dir, 'drain.svg');
  const r = cli('bench', 'drain', '--cpus', '1,2', '--batch', '31', '--fill', 'none,all', '--reps', '2', '--gup-cpus', '2', '--json', '--plot', svgPath);

  it('exits 0 and prints only JSON', () => {
    expect(r.code, r.stderr).toBe(0);
    expect(schemaErrors('bench-drain', JSON.parse(r.stdout))).toEqual([]);
  });

  it('reports every field the issue asks for', () => {
    const j = JSON.parse(r.stdout) as Record<string, unknown[]> & { series: { name: string; points: unknown[] }[] };
    expect(j['startup']!.length).toBe(3); // one machine per CPU count, one for gup
    for (const key of ['cpus', 'ms', 'rssPerWorkerMiB']) expect(j['startup']![0]).toHaveProperty(key);
    const cost = j['cost'] as Record<string, unknown>[];
    expect(new Set(cost.map((c) => c['op']))).toEqual(new Set(['drain', 'drain-all', 'copy']));
    for (const key of ['wallUs', 'foliosMoved', 'lruLockAcquisitions', 'lruLockHoldUs', 'workQueuedPerCpu', 'workRunPerCpu', 'callerWaitUs']) {
      expect(cost[0]).toHaveProperty(key);
    }
    expect(cost[0]!['wallUs']).toEqual(expect.objectContaining({ median: expect.any(Number), p99: expect.any(Number) }));
    const names = j.series.map((s) => s.name);
    expect(names).toContain('lru_add_drain_all, every CPU pending, quiet');
    expect(names).toContain('lru_add_drain_all, no CPU pending, quiet');
    expect(j.series.every((s) => s.points.length === 2)).toBe(true);
    expect(j['piggyback']!.length).toBe(2);
    const gup = j['gupPinThroughput'] as Record<string, unknown>[];
    expect(gup.map((g) => g['kernel'])).toEqual(['6.10', '6.10', '6.11', '6.17', '7.3']);
    for (const key of ['pinsPerSecond', 'failureRate', 'drainMs', 'drainUsPerPin']) expect(gup[0]).toHaveProperty(key);
  });

  it('--plot writes a well-formed SVG with axes, units and a legend entry per line', () => {
    const svg = readFileSync(svgPath, 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg).toMatch(/simulated CPUs/);
    expect(svg).toMatch(/µs/);
    const lines = svg.match(/<polyline class="series"/g)?.length ?? 0;
    expect(lines).toBeGreaterThanOrEqual(3);
    expect(svg.match(/<text class="legend"/g)?.length).toBe(lines);
    expect(svg.match(/<polyline/g)?.length).toBe(svg.match(/<\/polyline>/g)?.length);
    expect(svg).toContain('lru_add_drain_all, every CPU pending, quiet');
  });
});
