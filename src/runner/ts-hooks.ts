// Module hooks (node:module register) for scenario files given by path, in the main thread and in
// every CPU worker (load.ts registers them in each):
// - `import … from 'foliorace'` resolves to this very foliorace when nothing else provides it, so a
//   scenario runs wherever it lives (next to an install, in a project, or run by npx from a clone);
// - a .ts module is transpiled (not type-checked: typecheck.ts does that once, in the main thread),
//   with an inline source map, so that stack traces point at the user's .ts lines.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTypeScript, NEEDS_TYPESCRIPT } from './typescript.js';

interface ResolveResult { url: string; format?: string | null; shortCircuit?: boolean }
type NextResolve = (specifier: string, context: unknown) => Promise<ResolveResult>;
interface LoadResult { format: string; source?: string | Buffer; shortCircuit?: boolean }
type NextLoad = (url: string, context: unknown) => Promise<LoadResult>;

/** This package's entry (dist/src/index.js beside dist/src/runner/ts-hooks.js). */
const SELF = new URL('../index.js', import.meta.url).href;

export async function resolve(specifier: string, context: unknown, nextResolve: NextResolve): Promise<ResolveResult> {
  if (specifier !== 'foliorace') return nextResolve(specifier, context);
  try {
    return await nextResolve(specifier, context);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw e;
    return { url: SELF, format: 'module', shortCircuit: true };
  }
}

export async function load(url: string, context: unknown, nextLoad: NextLoad): Promise<LoadResult> {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const file = fileURLToPath(url);
  const text = await readFile(file, 'utf8');
  // Transpiled once (by the main thread), read back by every CPU worker: loading the compiler costs
  // each worker about half a second.
  const cached = join(tmpdir(), 'foliorace-ts', `${createHash('sha256').update(file).update('\0').update(text).digest('hex')}.js`);
  const hit = await readFile(cached, 'utf8').catch(() => null);
  if (hit !== null) return { format: 'module', source: hit, shortCircuit: true };
  const ts = await loadTypeScript(file);
  if (!ts) throw new Error(NEEDS_TYPESCRIPT);
  const out = ts.transpileModule(text, {
    compilerOptions: {
      module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false,
      inlineSourceMap: true, inlineSources: true,
    },
    fileName: file,
    reportDiagnostics: true,
  });
  const bad = out.diagnostics?.find((d) => d.category === ts.DiagnosticCategory.Error);
  if (bad) {
    const { line, character } = bad.file!.getLineAndCharacterOfPosition(bad.start ?? 0);
    // the location leads the message: only name and message survive the way back from the hooks thread
    throw new SyntaxError(`${file}:${line + 1}:${character + 1}: ${ts.flattenDiagnosticMessageText(bad.messageText, ' ')}`);
  }
  await mkdir(dirname(cached), { recursive: true }).then(() => writeFile(`${cached}.${process.pid}`, out.outputText))
    .then(() => rename(`${cached}.${process.pid}`, cached)).catch(() => undefined); // a cache: failing to write it costs time only
  return { format: 'module', source: out.outputText, shortCircuit: true };
}
