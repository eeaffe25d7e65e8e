// Writes the HTML report directory: index.html, and beside it the failure files and traces it
// links to (copied, so the directory opens anywhere from file://).
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { MergedResult } from '../result.js';
import type { DrainBenchReport } from '../../drain-bench/drain.js';
import { drainPlotSvg } from '../../drain-bench/plot.js';
import { UsageError } from '../../errors.js';
import { htmlPage } from './page.js';

/** `from`: the directory the result's relative paths start at. Returns the path of index.html. */
export function writeHtmlReport(m: MergedResult, from: string, out: string, benchFile?: string): string {
  try {
    mkdirSync(out, { recursive: true });
  } catch (e) {
    throw new UsageError(`--html: cannot create ${out}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  for (const f of m.failures) {
    for (const rel of [f.file, f.trace]) {
      if (rel === null || !existsSync(join(from, rel))) continue;
      mkdirSync(dirname(join(out, rel)), { recursive: true });
      if (join(from, rel) !== join(out, rel)) copyFileSync(join(from, rel), join(out, rel));
    }
  }
  const html = htmlPage(m, { replayDir: out, drainSvg: benchFile === undefined ? null : drainPlotSvg(readBench(benchFile)) });
  const index = join(out, 'index.html');
  writeFileSync(index, html);
  return index;
}

function readBench(path: string): DrainBenchReport {
  let r: Partial<DrainBenchReport> | null;
  try {
    r = JSON.parse(readFileSync(path, 'utf8')) as Partial<DrainBenchReport> | null;
  } catch (e) {
    throw new UsageError(`--bench: cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not valid JSON'}`);
  }
  if (r?.bench !== 'drain' || !Array.isArray(r.series)) throw new UsageError(`--bench: ${path} is not the output of foliorace bench drain --json`);
  return r as DrainBenchReport;
}
