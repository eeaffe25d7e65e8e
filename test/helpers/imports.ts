// The import graph of src/, read with the TypeScript parser: every static import and re-export,
// every dynamic import(), each marked whether it exists at run time (a type-only import is erased).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import ts from 'typescript';

export const SRC = new URL('../../src/', import.meta.url).pathname.replace(/\/$/, '');

export interface ImportEdge {
  /** The importing file and the imported one, relative to src/ (.ts), or the specifier for a package. */
  from: string;
  to: string;
  spec: string;
  /** False for `import type` / `export type` and imports whose every name is a type. */
  runtime: boolean;
}

export function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : []);
}

function typeOnly(clause: ts.ImportClause | undefined): boolean {
  if (!clause) return false; // import './x.js': for its side effects
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const b = clause.namedBindings;
  if (!b) return false;
  if (ts.isNamespaceImport(b)) return false;
  return b.elements.length > 0 && b.elements.every((e) => e.isTypeOnly);
}

/** Every import of source text `text`, as if it were the file `file` (absolute). */
export function importsOf(file: string, text: string): ImportEdge[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: ImportEdge[] = [];
  const add = (spec: string, runtime: boolean): void => {
    const to = spec.startsWith('.') ? relative(SRC, resolve(dirname(file), spec.replace(/\.js$/, '.ts'))) : spec;
    out.push({ from: relative(SRC, file), to, spec, runtime });
  };
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) add(n.moduleSpecifier.text, !typeOnly(n.importClause));
    else if (ts.isExportDeclaration(n) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      const types = n.isTypeOnly || (n.exportClause !== undefined && ts.isNamedExports(n.exportClause) &&
        n.exportClause.elements.length > 0 && n.exportClause.elements.every((e) => e.isTypeOnly));
      add(n.moduleSpecifier.text, !types);
    } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const a = n.arguments[0];
      add(a && ts.isStringLiteralLike(a) ? a.text : '<computed>', true);
    } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) {
      add(n.argument.literal.text, false);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** Every import edge of src/. */
export function srcImports(): ImportEdge[] {
  return sourceFiles().flatMap((f) => importsOf(f, readFileSync(f, 'utf8')));
}

/** The folder of src/ a file belongs to (a top-level file is its own "folder", e.g. errors.ts). */
export function folderOf(path: string): string {
  return path.split('/')[0]!;
}

/** Folder-level cycles among run-time edges between different folders: each as a path a → … → a. */
export function folderCycles(edges: readonly ImportEdge[]): string[][] {
  const graph = new Map<string, Set<string>>();
  for (const e of edges) {
    if (!e.runtime || e.to.startsWith('..') || !/\.ts$/.test(e.to) && !e.spec.startsWith('.')) continue;
    const a = folderOf(e.from), b = folderOf(e.to);
    if (a === b) continue;
    if (!graph.has(a)) graph.set(a, new Set());
    graph.get(a)!.add(b);
  }
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const dfs = (v: string): void => {
    state.set(v, 'open');
    stack.push(v);
    for (const w of [...(graph.get(v) ?? [])].sort()) {
      if (state.get(w) === 'open') cycles.push([...stack.slice(stack.indexOf(w)), w]);
      else if (!state.has(w)) dfs(w);
    }
    stack.pop();
    state.set(v, 'done');
  };
  for (const v of [...graph.keys()].sort()) if (!state.has(v)) dfs(v);
  return cycles;
}

/** The src/ modules (relative to src/) that a CPU worker's bundle holds, as esbuild bundles workers/cpu.ts. */
export async function workerBundleModules(): Promise<string[]> {
  const root = join(SRC, '..');
  const out = await build({
    entryPoints: [join(root, 'workers', 'cpu.ts')], bundle: true, write: false, platform: 'node', format: 'esm',
    target: 'node20', metafile: true, logLevel: 'silent', external: ['esbuild'], outfile: join(root, 'dist', 'layers-check.js'),
  });
  return Object.keys(out.metafile.inputs).map((p) => relative(SRC, join(root, p))).filter((p) => !p.startsWith('..')).sort();
}
