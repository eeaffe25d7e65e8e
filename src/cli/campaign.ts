// foliorace campaign / merge / report: a campaign file run here (or as one shard of an engine's
// job array), shard results merged, a merged result drawn as a static HTML report.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { readCampaignFile } from '../campaign/file.js';
import { mergeShards } from '../campaign/merge.js';
import { planCampaign, type Cell } from '../campaign/plan.js';
import { MERGED_FILE, readMergedResult, readShardResults, writeJson, type MergedResult, type UnitResult } from '../campaign/result.js';
import { runShard, type ShardHooks } from '../campaign/run.js';
import { parseShard, type Shard } from '../campaign/shard.js';
import { campaignExitCode, verdictText } from '../campaign/verdict.js';
import { writeHtmlReport } from '../campaign/html/write.js';
import { ratesNote } from '../report/rates-note.js';
import { findings } from '../report/report.js';
import { UsageError } from '../errors.js';
import { allowOnly, has, int, limitFlags, one, type Parsed } from './args.js';
import { progressBar } from './progress.js';
import { num } from '../report/num.js';
import { stderr, stdout } from './io.js';
import { warnFreeCores } from './free-cores.js';

const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export async function campaign(p: Parsed, signal: AbortSignal): Promise<number> {
  allowOnly(p, ['shard', 'shard-count', 'out', 'no-out', 'json', 'watchdog', 'worker-memory', 'debug', 'help']);
  const file = p.positional[0];
  if (!file || p.positional.length > 1) throw new UsageError('campaign needs one campaign file: foliorace campaign FILE.json (see docs/campaigns.md)');
  const shard = parseShard(one(p, 'shard'), int(p, 'shard-count', 1, 100_000), process.env);
  return runCampaignFile(file, shard, has(p, 'no-out') ? null : one(p, 'out'), has(p, 'json'), signal, limitFlags(p));
}

/**
 * Runs shard `shard` of the campaign in `file`; `out`: the result directory (undefined: the default;
 * null: none). `signal` (SIGINT/SIGTERM, cli/signals.ts) drops the running unit and keeps the finished
 * ones. `limits`: --watchdog and --worker-memory for every unit.
 */
export async function runCampaignFile(file: string, shard: Shard, outFlag: string | null | undefined, asJson: boolean,
  signal: AbortSignal, limits: ShardHooks['limits'] = {}): Promise<number> {
  const plan = await planCampaign(readCampaignFile(file), file);
  const out = outFlag === undefined ? `foliorace-campaign-${plan.name}` : outFlag;
  const label = shard.count > 1 ? ` shard ${shard.index}/${shard.count} (${shard.source})` : '';
  stderr().write(`campaign ${plan.name} (${plan.hash})${label}: ${plan.cells.length} cells, ${plan.units.length} units` +
    `${out === null ? '' : ` → ${out}`}\n`);
  const eta = etaOf();
  let bar = progressBar(0, 0, '', false);
  try {
    const result = await runShard(plan, shard, out, {
      signal, limits,
      onStart: (units) => eta.begin(units.reduce((a, u) => a + u.cost, 0)),
      onUnitStart: (u, cell, n, of) => {
        eta.start(u.cost);
        bar = progressBar(cell.iterations, cell.durationMs, `[${n}/${of}] ${cell.key} · seed ${u.seed}${partLabel(u.part, cell)}`, !asJson);
        return { onProgress: (d: number) => bar.update(d) };
      },
      onUnitDone: (r, cell, n, of) => {
        bar.done();
        stderr().write(`${unitLine(r, cell, n, of)}${eta.done(n === of)}\n`);
      },
    });
    bar.done();
    const ran = new Set(result.units.map((u) => u.cell));
    warnFreeCores(plan.cells.filter((c) => ran.has(c.key)));
    const merged = mergeShards([{ path: out ?? '(not written)', result }], { partial: true });
    if (asJson) stdout().write(`${JSON.stringify(shard.count > 1 ? result : merged, null, 2)}\n`);
    else {
      stdout().write(`\n${verdictText(merged)}\n\n`);
      stdout().write(`${CAMPAIGN_RATES}\n`);
      stdout().write('Details of one cell: foliorace run <scenario> --kernel <profile> --mode pct --seed <seed>\n' +
        'Side by side:        foliorace compare <scenario> --kernels A,B --mode pct --seed <seed>\n');
      if (out !== null) {
        stdout().write(shard.count > 1
          ? `shard ${shard.index}/${shard.count}: ${result.units.length} units in ${secs(result.elapsedMs)}; when all shards are done: foliorace merge DIR...\n`
          : `results: ${out} (HTML: foliorace report ${out} --html ${out}/html)\n`);
      }
    }
    if (signal.aborted) {
      stderr().write(`foliorace: stopped; ${result.units.length} of ${result.assigned.length} units finished and kept\n`);
      return 1; // main.ts turns it into 130 or 143
    }
    return campaignExitCode(merged.cells.filter((c) => c.seeds.length > 0), plan.exit);
  } finally {
    bar.done();
  }
}

export function merge(p: Parsed): number {
  allowOnly(p, ['out', 'partial', 'json', 'debug', 'help']);
  if (p.positional.length === 0) throw new UsageError('merge needs the shards\' result directories: foliorace merge DIR... [--out MERGED]');
  const inputs = p.positional.flatMap(readShardResults);
  const merged = mergeShards(inputs, { partial: has(p, 'partial') });
  const out = one(p, 'out') ?? 'foliorace-merged';
  for (const w of merged.warnings) stderr().write(`foliorace: warning: ${w}\n`);
  collectFiles(merged, inputs, out);
  writeJson(out, MERGED_FILE, merged);
  if (has(p, 'json')) stdout().write(`${JSON.stringify(merged, null, 2)}\n`);
  else {
    const shards = merged.shards.map((s) => `${s.index}/${s.count} ${s.host} ${secs(s.elapsedMs)}`).join(', ');
    stdout().write(`campaign ${merged.campaign.name} (${merged.campaign.hash}): shards ${shards}\n\n${verdictText(merged)}\n\n${CAMPAIGN_RATES}\n`);
    stdout().write(`merged: ${out}/${MERGED_FILE} · ${merged.failures.length} distinct failures (HTML: foliorace report ${out} --html ${out}/html)\n`);
  }
  return campaignExitCode(merged.cells, merged.campaign.exit);
}

export function report(p: Parsed): number {
  allowOnly(p, ['html', 'bench', 'debug', 'help']);
  const dir = p.positional[0];
  const html = one(p, 'html');
  if (!dir || p.positional.length > 1 || html === undefined) throw new UsageError('report needs a merged result and --html: foliorace report MERGED_DIR --html OUT_DIR');
  const merged = existsSync(join(dir, MERGED_FILE)) ? readMergedResult(dir) : mergeShards(readShardResults(dir));
  const index = writeHtmlReport(merged, dir, html, one(p, 'bench'));
  stdout().write(`${index}\n`);
  return 0;
}

/** Under the verdicts of a campaign: its counts come from many machines. */
const CAMPAIGN_RATES = `${ratesNote('Counts and shares', 'these machines')}.`;

/** The progress line of one finished unit: what it found, undeclared (UNKNOWN) outcomes included. */
export function unitLine(r: UnitResult, cell: Cell, n: number, of: number): string {
  const width = String(of).length;
  const extra = [[r.violations + r.deadlocks, 'violations'], [r.livelocks, 'LIVELOCK'], [r.unknown, 'UNKNOWN']] as const;
  const finding = findings(r) > 0
    ? [`FORBIDDEN ${num(r.forbidden)}`, ...extra.filter(([n]) => n > 0).map(([n, what]) => `${what} ${num(n)}`)].join(', ')
    : 'nothing forbidden';
  return `[${String(n).padStart(width)}/${of}] ${cell.key} · seed ${r.seed}${partLabel(r.part, cell)}: ${num(r.iterations)} iterations, ${finding} (${secs(r.elapsedMs)})`;
}

/** " part 2/4" for a unit of a verify cell in parts, else ''. */
function partLabel(part: number | undefined, cell: Cell): string {
  return part === undefined ? '' : ` part ${part}/${cell.parts}`;
}

/** Time left: the cost model's estimate of what remains, scaled by how long the finished units took. */
function etaOf(): { begin(total: number): void; start(cost: number): void; done(last: boolean): string } {
  const t0 = performance.now();
  let total = 0, doneCost = 0, current = 0;
  return {
    begin(t) { total = t; },
    start(cost) { current = cost; },
    done(last) {
      doneCost += current;
      const left = ((performance.now() - t0) / Math.max(1, doneCost)) * (total - doneCost);
      return last ? '' : `; about ${secs(left)} left`;
    },
  };
}

/** Copies the distinct failures' files and traces next to merged.json, and points at the copies. */
function collectFiles(m: MergedResult, inputs: readonly { path: string; result: { units: UnitResult[] } }[], out: string): void {
  const from = new Map<string, string>();
  for (const { path, result } of inputs) for (const u of result.units) if (u.failure) from.set(JSON.stringify([u.cell, u.seed, u.part]), dirname(path));
  const taken = new Set<string>();
  for (const f of m.failures) {
    const dir = from.get(JSON.stringify([f.cell, f.seed, f.part]))!;
    f.file = f.file === null ? null : copyUnique(join(dir, f.file), join(out, 'failures'), taken);
    f.trace = f.trace === null || !existsSync(join(dir, f.trace)) ? null : copyUnique(join(dir, f.trace), join(out, 'traces'), taken);
  }
}

function copyUnique(src: string, dir: string, taken: Set<string>): string | null {
  if (!existsSync(src)) return null;
  mkdirSync(dir, { recursive: true });
  const ext = extname(src), stem = basename(src, ext);
  let name = `${stem}${ext}`;
  for (let n = 2; taken.has(join(dir, name)); n++) name = `${stem}.${n}${ext}`;
  taken.add(join(dir, name));
  copyFileSync(src, join(dir, name));
  return join(basename(dir), name);
}

