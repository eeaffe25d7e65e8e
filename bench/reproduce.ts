// Exact and minimal reproductions, measured (bench/README.md, "Reproductions"):
//   node dist/bench/reproduce.js judge [SEEDS [SCENARIO,...]]   free mode, seeds 1..SEEDS (30), --stop-on-first, every
//                                                scenario with a bug under its "before" profile: does
//                                                `foliorace replay FILE` reproduce each failure?
//   node dist/bench/reproduce.js shrink          the first failure of pct seed 1 and free seed 1 of each:
//                                                steps and preemptions before → after shrinking, and time
//   node dist/bench/reproduce.js exhaustive [S]  the largest K whose search ends within S seconds (60)
//                                                under "after" (none forbidden) and the K that finds it
//                                                under "before"
// Nothing here runs in `npm test`. Rates and times are those of our scheduler on this machine.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replayFailure, runScenario } from '../src/api/run.js';
import { BUILTIN_SCENARIOS } from '../src/scenarios/index.js';

const BUGS = BUILTIN_SCENARIOS.filter((s) => s.expect[s.before] === 'found' || s.expect[s.before] === 'window');

async function judge(seeds: number, only?: string): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), 'foliorace-judge-'));
  for (const s of BUGS.filter((x) => only === undefined || only.split(',').includes(x.name))) {
    let found = 0, reproduced = 0;
    const phases: Record<string, number> = {};
    const convMs: number[] = [];
    for (let seed = 1; seed <= seeds; seed++) {
      const r = await runScenario({ scenario: s.name, kernel: s.before, mode: 'free', seed: String(seed), iterations: 1e9,
        durationMs: 30_000, stopOnFirst: true, out });
      const f = r.firstFailure;
      if (!f?.file) continue;
      found++;
      const phase = f.conversion?.phase ?? 'none';
      phases[phase] = (phases[phase] ?? 0) + 1;
      convMs.push(f.conversion?.ms ?? 0);
      if ((await replayFailure(f.file)).replay?.reproduced) reproduced++;
      else console.log(`  NOT reproduced: ${s.name} seed ${seed}: ${f.file}`);
    }
    convMs.sort((a, b) => a - b);
    console.log(`| ${s.name} | ${s.before} | ${found} | ${reproduced} of ${found} | ${Object.entries(phases).map(([k, v]) => `${k} ${v}`).join(', ')} | ` +
      `${convMs[Math.floor(convMs.length / 2)] ?? '-'} / ${convMs[convMs.length - 1] ?? '-'} |`);
  }
}

async function shrink(): Promise<void> {
  for (const s of BUGS) {
    for (const mode of ['pct', 'free'] as const) {
      const r = await runScenario({ scenario: s.name, kernel: s.before, mode, seed: '1', iterations: 1e9, durationMs: 30_000,
        stopOnFirst: true, out: null });
      const k = r.firstFailure?.shrunk;
      console.log(k ? `| ${s.name} | ${s.before} | ${mode} | ${k.fromSteps} → ${k.steps} | ${k.fromPreemptions} → ${k.preemptions} | ` +
        `${(k.ms / 1000).toFixed(2)} s (${k.runs} schedules) |` : `| ${s.name} | ${mode} | not found |`);
    }
  }
}

async function exhaustive(limitS: number): Promise<void> {
  for (const s of BUILTIN_SCENARIOS) {
    let best = -1, schedules = 0, seconds = 0;
    for (let k = 0; k <= 8; k++) {
      const r = await runScenario({ scenario: s.name, kernel: s.after, mode: 'exhaustive', preemptions: k, seed: '1',
        durationMs: limitS * 1000, out: null, iterations: 1 });
      if (!r.exhaustive?.complete) break;
      best = k; schedules = r.exhaustive.schedules; seconds = (r.elapsedMs / 1000);
      if (r.forbidden + r.violations + r.deadlocks > 0) break;
    }
    let foundAt = '-';
    if (s.expect[s.before] === 'found' || s.expect[s.before] === 'window') {
      for (let k = 0; k <= 4; k++) {
        const r = await runScenario({ scenario: s.name, kernel: s.before, mode: 'exhaustive', preemptions: k, seed: '1',
          durationMs: limitS * 1000, out: null, iterations: 1 });
        if (r.exhaustive?.stoppedBy === 'finding') { foundAt = `K=${k}, after ${r.exhaustive.schedules} schedules`; break; }
        if (!r.exhaustive?.complete) { foundAt = `not within K=${k} in ${limitS} s`; break; }
      }
    }
    console.log(`| ${s.name} | ${s.after} | ${best} | ${schedules} | ${seconds.toFixed(1)} s | ${s.before} | ${foundAt} |`);
  }
}

const [what, arg, only] = process.argv.slice(2);
if (what === 'judge') await judge(Number(arg ?? 30), only);
else if (what === 'shrink') await shrink();
else if (what === 'exhaustive') await exhaustive(Number(arg ?? 60));
else console.log('usage: node dist/bench/reproduce.js judge [SEEDS] | shrink | exhaustive [SECONDS]');
