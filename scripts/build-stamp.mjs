// Whether the build (npm run build) is current: `write` records, at the end of a build, a digest of
// every input (the sources tsc compiles, the build's scripts and configuration, the lockfile) and of
// every output (dist/, src/model-hash.ts) in dist/build-stamp.json; `check` exits 0 only when both
// are unchanged. `npm test`'s pretest builds only when `check` fails: after `npm ci` (whose prepare
// builds), a second build of the same sources took 8 s of the suite's time. (`tsc -b` cannot stand
// in: it does not rewrite an output deleted while its build info stayed.)
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { digestFiles, filesUnder, root } from './file-digest.mjs';

const STAMP = join(root, 'dist/build-stamp.json');
const INPUT_DIRS = ['src', 'workers', 'bench', 'scripts'];
const INPUT_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'tsconfig.tests.json'];
/** What tsc and the build's scripts read there (not bench/README.md, figures or shell scripts). */
const SOURCE = /\.(ts|mts|cts|js|mjs|cjs|json)$/;
/** Written by the build into the sources: an output. */
const GENERATED = 'src/model-hash.ts';

function current() {
  const inputs = [...INPUT_DIRS.flatMap((d) => filesUnder(d, (f) => SOURCE.test(f) && f !== GENERATED)), ...INPUT_FILES];
  const outputs = [...filesUnder('dist', (f) => join(root, f) !== STAMP), GENERATED];
  return { node: process.version, inputs: digestFiles(inputs), outputs: digestFiles(outputs), files: outputs.length };
}

const [command] = process.argv.slice(2);
if (command === 'write') {
  writeFileSync(STAMP, `${JSON.stringify(current())}\n`);
} else if (command === 'check') {
  let recorded = null;
  try {
    recorded = JSON.parse(readFileSync(STAMP, 'utf8'));
  } catch {
    // no stamp: not built, or built before stamps
  }
  const now = current();
  const fresh = recorded !== null && ['node', 'inputs', 'outputs', 'files'].every((k) => recorded[k] === now[k]);
  process.stderr.write(fresh ? `build current (${relative(process.cwd(), STAMP)}): not rebuilt\n` : '');
  process.exit(fresh ? 0 : 1);
} else {
  process.stderr.write('usage: node scripts/build-stamp.mjs write|check\n');
  process.exit(2);
}
