// Two builds of foliorace, the same results: every built-in scenario under its before and after
// profiles in pct and exhaustive mode (same seed), and the selftest matrix, run by each build's own
// CLI; the JSON reports (timings left out) and every failure file must be the same byte for byte,
// except the version and model fingerprint they carry (in replay strings too) (a refactor that moves model files changes
// the fingerprint by design).
//   npm run build && node dist/bench/same-results.js /path/to/other/checkout [ITERATIONS]
// The other checkout must be built (npm run build there). Exit 0: the same; 1: a difference (shown).
// Nothing here runs in `npm test`: it runs two builds, which the suite never has.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILTIN_SCENARIOS } from '../src/scenarios/index.js';

const HERE = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const [other, iterations = '2000'] = process.argv.slice(2);
if (!other) {
  process.stderr.write('usage: node dist/bench/same-results.js OTHER_CHECKOUT [ITERATIONS]\n');
  process.exit(2);
}

/** A value with its timings and build identity left out (they differ between any two runs or builds). */
function comparable(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(comparable);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([k]) => !/(Ms|PerSecond|^ms|^version|^fingerprint|^modelChanged)$/.test(k))
      .map(([k, x]) => [k, comparable(x)]));
  }
  // a replay string carries the fingerprint too
  return typeof v === 'string' ? v.replace(/\b[0-9a-f]{12}-[0-9a-f]{8}\b/g, '<fingerprint>') : v;
}

/** Runs `args` with `tree`'s CLI in a fresh directory; the JSON it printed and the failure files it wrote. */
function run(tree: string, args: readonly string[]): { json: string; files: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'foliorace-same-'));
  let out: string;
  try {
    out = execFileSync(process.execPath, [join(tree, 'dist/src/cli/main.js'), ...args, '--json', '--out', 'f'],
      { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
  } catch (e) {
    out = String((e as { stdout?: string }).stdout ?? ''); // exit 1: something found, the report is on stdout
  }
  const files: Record<string, string> = {};
  try {
    for (const f of readdirSync(join(dir, 'f')).sort()) {
      files[f] = JSON.stringify(comparable(JSON.parse(readFileSync(join(dir, 'f', f), 'utf8'))));
    }
  } catch { /* no failure files */ }
  return { json: JSON.stringify(comparable(JSON.parse(out || 'null'))), files };
}

const cases: string[][] = [];
for (const s of BUILTIN_SCENARIOS) {
  for (const k of [s.before, s.after].filter((x): x is string => typeof x === 'string')) {
    cases.push(['run', s.name, '--kernel', k, '--mode', 'pct', '--seed', '1', '--iterations', iterations]);
    cases.push(['run', s.name, '--kernel', k, '--mode', 'exhaustive', '--preemptions', '1', '--iterations', '1', '--seed', '1']);
  }
}
cases.push(['selftests']);

let differ = 0;
for (const c of cases) {
  const a = run(other, c), b = run(HERE, c);
  const same = a.json === b.json && JSON.stringify(a.files) === JSON.stringify(b.files);
  if (!same) differ++;
  process.stdout.write(`${same ? 'same   ' : 'DIFFERS'}  ${c.join(' ')}  (${Object.keys(b.files).length} failure files)\n`);
  if (!same && a.json !== b.json) process.stdout.write(`  report: ${a.json.slice(0, 300)}\n       vs ${b.json.slice(0, 300)}\n`);
}
process.stdout.write(`${cases.length - differ} of ${cases.length} the same\n`);
process.exit(differ > 0 ? 1 : 0);
