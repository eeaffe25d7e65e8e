// Type-checks a .ts scenario against the declarations foliorace ships, before any worker starts:
// `'f0'` where a folio index belongs is an error at its line, not a wrong answer at run time.
import { relative, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScenarioError } from './errors.js';
import { loadTypeScript, NEEDS_TYPESCRIPT } from './typescript.js';

/** The shipped declarations of the package (dist/src/index.d.ts). */
const SELF_TYPES = fileURLToPath(new URL('../index.d.ts', import.meta.url));

/** `file:line:col message` lines of every error in the scenario and the files it imports; [] if none. */
export async function typecheckScenario(path: string): Promise<string[]> {
  const ts = await loadTypeScript(path);
  if (!ts) throw new ScenarioError(NEEDS_TYPESCRIPT);
  const program = ts.createProgram([path], {
    strict: true, noEmit: true, skipLibCheck: true, types: [],
    module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts'],
    // 'foliorace' is this foliorace, as the module hooks resolve it when nothing else does
    paths: { foliorace: [SELF_TYPES] },
  });
  const syntactic = new Set<import('typescript').Diagnostic>(program.getSyntacticDiagnostics());
  return ts.getPreEmitDiagnostics(program)
    .filter((d) => d.category === ts.DiagnosticCategory.Error && d.file && !d.file.fileName.endsWith('.d.ts'))
    .map((d) => {
      const { line, character } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      const what = `${syntactic.has(d) ? 'syntax error: ' : ''}${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
      return `${shown(d.file!.fileName)}:${line + 1}:${character + 1} ${what}`;
    });
}

/** A path as the user would type it: relative to the working directory when under it. */
export function shown(path: string): string {
  const r = relative(process.cwd(), path);
  return r !== '' && !r.startsWith('..') && !isAbsolute(r) ? r : path;
}
