// A scenario or patch file given by path, made into one module that any thread imports without
// module hooks (Node 20's hooks run on a thread of their own, started for each worker: with them, a
// worker took about half a second to load a scenario file; figures in bench/README.md, "Start-up").
// esbuild bundles the file with what it imports (relative files, .ts transpiled but not
// type-checked: typecheck.ts does that, npm packages), leaves Node's built-ins to Node, and turns
// `import … from 'foliorace'` (or from this package's dist/src/index.js by path) into a read of the
// API the importing thread provides (cpu/import-scenario.ts): the main thread's own, and in a CPU
// worker the worker bundle's, so that a scenario and the harness share one copy of the model. Done once, on the main thread; the workers import the result.
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Message, Plugin } from 'esbuild';
import { ScenarioError, UsageError } from '../errors.js';
import { API_KEY } from '../cpu/import-scenario.js';
import { shown } from '../cpu/scenario-fault.js';

const DIR = join(tmpdir(), 'foliorace-scenarios');

/** This package's entry (dist/src/index.js): a scenario may import it by path as well as by name. */
const SELF = fileURLToPath(new URL('../index.js', import.meta.url));

const FOLIORACE_API: Plugin = {
  name: 'foliorace-api',
  setup(b) {
    const api = { path: 'foliorace', namespace: 'foliorace-api' };
    b.onResolve({ filter: /^foliorace$/ }, () => api);
    b.onResolve({ filter: /index\.js$/ }, (a) => (resolve(a.resolveDir, a.path) === SELF ? api : undefined));
    b.onLoad({ filter: /.*/, namespace: 'foliorace-api' }, () => ({
      contents: `module.exports = globalThis[Symbol.for(${JSON.stringify(API_KEY.description)})];`, loader: 'js',
    }));
  },
};

/**
 * Bundles a scenario or patch file `path`; returns the bundle's path (content-addressed in the temporary
 * directory: the same sources give the same file). A file esbuild cannot parse, or an import it
 * cannot resolve, is a ScenarioError naming the user's file, line and column.
 */
export async function bundleFile(path: string): Promise<string> {
  const { build } = await import('esbuild');
  let text: string;
  try {
    const out = await build({
      entryPoints: [path], bundle: true, write: false, platform: 'node', format: 'esm', target: 'node20',
      // the bundle is written in DIR: the source map's relative paths lead back to the user's files
      outfile: join(DIR, 'scenario.mjs'), sourcemap: 'inline', sourcesContent: true, logLevel: 'silent',
      define: { 'import.meta.url': JSON.stringify(pathToFileURL(path).href) },
      plugins: [FOLIORACE_API],
    });
    text = out.outputFiles[0]!.text;
  } catch (e) {
    const first = (e as { errors?: Message[] }).errors?.[0];
    if (!first) throw e;
    const at = first.location ? `${shown(resolve(first.location.file))}:${first.location.line}:${first.location.column + 1}: ` : '';
    if (/^Could not resolve/.test(first.text)) throw new ScenarioError(`${shown(path)} does not load: ${at}${first.text}`);
    throw new ScenarioError(`syntax error: ${at}${first.text}`);
  }
  const file = join(DIR, `${createHash('sha256').update(text).digest('hex').slice(0, 32)}.mjs`);
  if (!existsSync(file)) {
    try {
      mkdirSync(DIR, { recursive: true });
      writeFileSync(`${file}.${process.pid}`, text);
      renameSync(`${file}.${process.pid}`, file); // whole or not at all, whoever else writes it
    } catch (e) {
      throw new UsageError(`cannot write the bundle of ${shown(path)} into ${DIR} (${(e as NodeJS.ErrnoException).code ?? String(e)}); ` +
        'set TMPDIR to a writable directory');
    }
  }
  return file;
}
