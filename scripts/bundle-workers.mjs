// Bundles each worker entry (dist/workers/*.js, compiled by tsc) with everything it imports into
// one file beside the module that starts it, so that a worker loads one module instead of about
// seventy: start-up per worker falls to little more than Node's own worker bootstrap (figures in
// bench/README.md, "Start-up"). The bundle sits at the depth of its starter in dist/src, so the
// few `new URL(..., import.meta.url)` inside it (the .ts loader hooks, package.json) resolve as
// they do unbundled.
import { build } from 'esbuild';

const ENTRIES = [
  { in: 'dist/workers/cpu.js', out: 'dist/src/cpu/cpu-worker.bundle.js' },
  { in: 'dist/workers/bench-cpu.js', out: 'dist/src/drain-bench/bench-worker.bundle.js' },
];

await Promise.all(ENTRIES.map((e) => build({
  entryPoints: [e.in], outfile: e.out, bundle: true, platform: 'node', format: 'esm', target: 'node20',
  logLevel: 'warning', legalComments: 'none',
  // only the main thread bundles scenario files (src/load/bundle.ts)
  external: ['esbuild'],
})));
