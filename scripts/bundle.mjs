// Bundles each entry compiled by tsc with everything it imports into one module, which loads much
// faster than the graph of about seventy it replaces (figures in bench/README.md, "Start-up"):
// - each worker entry (dist/workers/*.js), into a file beside the module that starts it: a worker
//   starts in little more than Node's own worker bootstrap;
// - the command (dist/src/cli/main.js), in place: `foliorace --version` takes half the time, and
//   each command loads that much less before it runs.
// Every bundle sits at the depth of its entry's modules in dist/src, so the few
// `new URL(..., import.meta.url)` inside (the .ts loader hooks, package.json, the worker bundles,
// campaigns/) resolve as they do unbundled.
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';

const ENTRIES = [
  { in: 'dist/workers/cpu.js', out: 'dist/src/cpu/cpu-worker.bundle.js' },
  { in: 'dist/workers/bench-cpu.js', out: 'dist/src/drain-bench/bench-worker.bundle.js' },
  { in: 'dist/src/cli/main.js', out: 'dist/src/cli/main.js' },
];

await Promise.all(ENTRIES.map(async (e) => {
  const out = await build({
    entryPoints: [e.in], outfile: e.out, write: false, bundle: true, platform: 'node', format: 'esm', target: 'node20',
    logLevel: 'warning', legalComments: 'none',
    // esbuild: only the main thread bundles scenario files (src/load/bundle.ts); typescript: the
    // user's or foliorace's own copy, loaded only to type-check a .ts file (src/load/typescript.ts)
    external: ['esbuild', 'typescript'],
  });
  // written after the build has read its entry (the command's bundle replaces its entry)
  writeFileSync(e.out, out.outputFiles[0].contents);
}));
