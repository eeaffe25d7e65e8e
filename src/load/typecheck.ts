// Type-checks a .ts scenario or patch against the declarations foliorace ships, before any worker
// starts: `'f0'` where a folio index belongs is an error at its line, not a wrong answer at run time.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FOLIORACE_VERSION } from '../version.js';
import { fileURLToPath } from 'node:url';
import { ScenarioError } from '../errors.js';
import { shown } from '../cpu/scenario-fault.js';
import { loadTypeScript, NEEDS_TYPESCRIPT, type TypeScript } from './typescript.js';

/** The shipped declarations of the package (dist/src/index.d.ts). */
const SELF_TYPES = fileURLToPath(new URL('../index.d.ts', import.meta.url));

/**
 * Where Node's own declarations are (process, Buffer, node:fs, ...): the @types directory of
 * foliorace's copy of @types/node, a dependency of foliorace, found from foliorace's install and not
 * from the scenario's directory. A scenario runs on the Node that runs foliorace, wherever its file
 * lives, so it is checked against that runtime's globals with nothing installed next to it.
 */
function nodeTypeRoot(): string {
  return dirname(dirname(createRequire(import.meta.url).resolve('@types/node/package.json')));
}

/**
 * `file:line:col message` lines of every error in the file and the files it imports; [] if none.
 * A clean result is remembered (keyed by the content of every file checked, foliorace's
 * declarations included), so running an unchanged scenario again skips the compiler.
 */
export function typecheckFile(path: string): string[] {
  const memo = join(tmpdir(), 'foliorace-ts', `check-${digest([path, FOLIORACE_VERSION])}.json`);
  if (stillClean(memo)) return [];
  const ts = loadTypeScript(path);
  if (!ts) throw new ScenarioError(NEEDS_TYPESCRIPT);
  const options: import('typescript').CompilerOptions = {
    strict: true, noEmit: true, skipLibCheck: true, types: ['node'], typeRoots: [nodeTypeRoot()],
    module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts'],
    // 'foliorace' is this foliorace, as a scenario's bundle binds it (scenario-bundle.ts)
    paths: { foliorace: [SELF_TYPES] },
  };
  const host = ts.createCompilerHost(options);
  // JSDoc only where it can be a type error (what tsc itself parses): not the comments of the 230
  // declaration files a check reads (Node's, the libs', foliorace's), a quarter of the check's time
  host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
  reuseDeclarations(ts, host);
  const program = ts.createProgram({ rootNames: [path], options, host });
  const syntactic = new Set<import('typescript').Diagnostic>(program.getSyntacticDiagnostics());
  const errors = ts.getPreEmitDiagnostics(program)
    .filter((d) => d.category === ts.DiagnosticCategory.Error && d.file && !d.file.fileName.endsWith('.d.ts'))
    .map((d) => {
      const { line, character } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      const what = `${syntactic.has(d) ? 'syntax error: ' : ''}${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
      return `${shown(d.file!.fileName)}:${line + 1}:${character + 1} ${what}`;
    });
  if (errors.length === 0) {
    const files = program.getSourceFiles().filter((f) => !program.isSourceFileDefaultLibrary(f)).map((f) => f.fileName);
    remember(memo, files);
  }
  return errors;
}

/** A declaration file as parsed, and the file's mtime and size when it was. */
interface Parsed { stamp: string; file: import('typescript').SourceFile }

/**
 * Declaration files parsed by this process's earlier checks, by compiler, path and language
 * version. Every check parses the same 230 (Node's, the libs', foliorace's), most of its time: a
 * second check in a process (a scenario and its patch, a campaign's .ts scenarios, a test runner's
 * many) reuses them, as TypeScript's language service shares a document registry between programs.
 * Weakly held, so that a long run does not keep them.
 */
let declarations: WeakRef<Map<string, Parsed>> | null = null;

function reuseDeclarations(ts: TypeScript, host: import('typescript').CompilerHost): void {
  const parse = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language, onError, shouldCreate) => {
    if (!fileName.endsWith('.d.ts')) return parse(fileName, language, onError, shouldCreate);
    let cache = declarations?.deref();
    if (!cache) { cache = new Map(); declarations = new WeakRef(cache); }
    const version = typeof language === 'object' ? `${language.languageVersion}/${language.impliedNodeFormat ?? ''}` : String(language);
    const key = `${ts.version}\0${version}\0${fileName}`;
    const stamp = statStamp(fileName);
    const hit = cache.get(key);
    if (hit && stamp !== null && hit.stamp === stamp) return hit.file;
    const file = parse(fileName, language, onError, shouldCreate);
    if (file && stamp !== null) cache.set(key, { stamp, file });
    return file;
  };
}

function statStamp(file: string): string | null {
  try {
    const s = statSync(file);
    return `${s.mtimeMs}/${s.size}`;
  } catch {
    return null;
  }
}

const digest = (parts: readonly string[]): string => createHash('sha256').update(parts.join('\0')).digest('hex');

function fileDigest(file: string): string | null {
  try {
    return digest([readFileSync(file, 'utf8')]);
  } catch {
    return null;
  }
}

/** Whether every file of the last clean check of this scenario is unchanged. */
function stillClean(memo: string): boolean {
  try {
    const files = JSON.parse(readFileSync(memo, 'utf8')) as Record<string, string>;
    return Object.entries(files).every(([f, d]) => fileDigest(f) === d);
  } catch {
    return false;
  }
}

function remember(memo: string, files: readonly string[]): void {
  try {
    mkdirSync(dirname(memo), { recursive: true });
    writeFileSync(memo, JSON.stringify(Object.fromEntries(files.map((f) => [f, fileDigest(f)]))));
  } catch {
    // a cache: failing to write it costs time only
  }
}
