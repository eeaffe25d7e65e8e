// Generates docs/api.md from the source: every export of src/kernel/api.ts (the `kernel.*` of a
// scenario; its state readers come from src/kernel/observe.ts); and the list of patchable functions
// in docs/patches.md (src/kernel/patchable.ts). It reads the conventions the model's code
// already follows, so a function added later the same way appears by itself:
//  - the doc comment of a function that models a kernel function starts with the kernel file and
//    the function ("mm/swap.c folio_activate()"); its version is the one the comment names, or else
//    the one the file's header names ("v6.10");
//  - preemption points are `cpu.preempt(S.site)`; the profile's switches are read as `cpu.k.field`,
//    and kernelSwitches() in profile.ts says which patch switch sets each field.
// Sites and switches are collected through everything a function calls or refers to in src/kernel.
//
//   npm run api-docs            rewrite docs/api.md
//   (test/api-docs.test.ts fails when docs/api.md is not what this generates)
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

interface Decl {
  file: string;
  name: string;
  kind: 'function' | 'const';
  doc: string;
  signature: string;
  returns: string;
  /** Header comment of the file (for a version the function's own comment does not name). */
  header: string;
  sites: Set<string>;
  switches: Set<string>;
  refs: Set<string>;
}

const KERNEL_REF = /((?:mm|include|kernel|arch|fs|lib|block|drivers)\/[\w./-]+\.[ch])\s+(\w[\w*]*)\(/;
const VERSION = /\bv(\d+\.\d+)\b/;

function docOf(node: ts.Node, sf: ts.SourceFile): string {
  const docs = (node as { jsDoc?: ts.JSDoc[] }).jsDoc;
  const c = docs?.at(-1)?.comment;
  if (c === undefined) return '';
  const text = typeof c === 'string' ? c : c.map((p) => p.getText(sf)).join('');
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function headerOf(text: string): string {
  return (/^(\/\/[^\n]*\n)+/.exec(text)?.[0] ?? '').replace(/^\/\/ ?/gm, '').replace(/\n/g, ' ').trim();
}

/** Files outside src/kernel whose exports api.ts passes on (named relative to src/kernel). */
const SHARED = ['../shm/layout.ts'];

/** A module's relative imports: local name → "file#name". */
function importsOf(sf: ts.SourceFile): Map<string, string> {
  const scope = new Map<string, string>();
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && st.moduleSpecifier.text.startsWith('./')) {
      const from = st.moduleSpecifier.text.replace(/^\.\//, '').replace(/\.js$/, '.ts');
      const named = st.importClause?.namedBindings;
      if (named && ts.isNamedImports(named)) for (const el of named.elements) scope.set(el.name.text, `${from}#${(el.propertyName ?? el.name).text}`);
    }
  }
  return scope;
}

/** The model's own version of each patchable function (patchable.ts imports every one): name → "file#name". */
function patchableFns(dir: string): Map<string, string> {
  const text = readFileSync(join(dir, 'patchable.ts'), 'utf8');
  return importsOf(ts.createSourceFile('patchable.ts', text, ts.ScriptTarget.ES2022, true));
}

/**
 * Every top-level function and const of src/kernel (and SHARED), keyed "file#name", with its direct
 * facts. A call through the patch table (`patchable.NAME(...)`) counts as a call of the model's NAME.
 */
function readKernel(dir: string): Map<string, Decl> {
  const decls = new Map<string, Decl>();
  const viaTable = patchableFns(dir);
  for (const f of [...readdirSync(dir).filter((x) => x.endsWith('.ts')).sort(), ...SHARED]) {
    const text = readFileSync(join(dir, f), 'utf8');
    const sf = ts.createSourceFile(f, text, ts.ScriptTarget.ES2022, true);
    const header = headerOf(text);
    const scope = importsOf(sf); // local name → "file#name"
    const local: Decl[] = [];
    for (const st of sf.statements) {
      if (ts.isFunctionDeclaration(st) && st.name && st.body) {
        const params = st.parameters.map((p) => p.getText(sf).replace(/\s+/g, ' ')).join(', ');
        const returns = st.type ? st.type.getText(sf) : 'void';
        local.push({ file: f, name: st.name.text, kind: 'function', doc: docOf(st, sf), signature: `${st.name.text}(${params}): ${returns}`,
          returns, header, sites: new Set(), switches: new Set(), refs: new Set(), body: st.body.getText(sf) } as Decl & { body: string });
      } else if (ts.isVariableStatement(st)) {
        for (const d of st.declarationList.declarations) {
          if (!ts.isIdentifier(d.name)) continue;
          const init = d.initializer?.getText(sf) ?? '';
          local.push({ file: f, name: d.name.text, kind: 'const', doc: docOf(st, sf), signature: d.name.text, returns: '',
            header, sites: new Set(), switches: new Set(), refs: new Set(), body: init } as Decl & { body: string });
        }
      }
    }
    for (const d of local) scope.set(d.name, `${f}#${d.name}`);
    for (const d of local as (Decl & { body: string })[]) {
      for (const m of d.body.matchAll(/\bpreempt\(S\.(\w+)\)/g)) d.sites.add(m[1]!);
      for (const m of d.body.matchAll(/\bk\.(\w+)/g)) d.switches.add(m[1]!);
      for (const m of d.body.matchAll(/\b[A-Za-z_]\w*\b/g)) {
        const target = scope.get(m[0]);
        if (target && target !== `${f}#${d.name}` && !target.startsWith('patchable.ts#')) d.refs.add(target);
      }
      for (const m of d.body.matchAll(/\bpatchable\.(\w+)/g)) {
        const target = viaTable.get(m[1]!);
        if (target && target !== `${f}#${d.name}`) d.refs.add(target);
      }
      decls.set(`${f}#${d.name}`, d);
    }
  }
  return decls;
}

/** Sites and switch fields through everything `key` reaches. */
function closure(decls: Map<string, Decl>, key: string): { sites: string[]; fields: string[] } {
  const seen = new Set<string>();
  const sites = new Set<string>();
  const fields = new Set<string>();
  const stack = [key];
  while (stack.length > 0) {
    const k = stack.pop()!;
    if (seen.has(k)) continue;
    seen.add(k);
    const d = decls.get(k);
    if (!d) continue;
    d.sites.forEach((s) => sites.add(s));
    d.switches.forEach((s) => fields.add(s));
    d.refs.forEach((r) => stack.push(r));
  }
  return { sites: [...sites].sort(), fields: [...fields].sort() };
}

/** KernelSwitches field → the patch switches its initializer in kernelSwitches() reads. */
function switchFields(profileText: string): Map<string, string[]> {
  const body = /export function kernelSwitches[\s\S]*?\n}\n/.exec(profileText)?.[0] ?? '';
  const out = new Map<string, string[]>();
  for (const m of body.matchAll(/^\s+(\w+): ([\s\S]*?),\n(?=\s+\w+:|\s+};)/gm)) {
    out.set(m[1]!, [...m[2]!.matchAll(/on\['([\w-]+)'\]/g)].map((x) => x[1]!));
  }
  return out;
}

/** The declaration behind an export, following re-exports (`export { X } from './y.js'`). */
function declOf(decls: Map<string, Decl>, kdir: string, from: string, name: string): Decl | undefined {
  const d = decls.get(`${from}#${name}`);
  if (d) return d;
  const again = exportsOf(join(kdir, from)).find((e) => e.name === name);
  return again ? declOf(decls, kdir, posix.join(posix.dirname(from), again.from), name) : undefined;
}

/** Names exported by a module file, with the module each comes from. */
function exportsOf(path: string): { name: string; from: string }[] {
  const sf = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true);
  const out: { name: string; from: string }[] = [];
  for (const st of sf.statements) {
    if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause) && st.moduleSpecifier &&
        ts.isStringLiteral(st.moduleSpecifier) && !st.isTypeOnly) {
      const from = st.moduleSpecifier.text.replace(/^\.\//, '').replace(/\.js$/, '.ts');
      for (const el of st.exportClause.elements) if (!el.isTypeOnly) out.push({ name: el.name.text, from });
    }
  }
  return out;
}

function models(d: Decl): string {
  const ref = KERNEL_REF.exec(d.doc);
  if (!ref) return '';
  const version = VERSION.exec(d.doc)?.[1] ?? VERSION.exec(d.header)?.[1];
  return `\`${ref[1]}\` \`${ref[2]}()\`${version ? ` (v${version})` : ''}`;
}

function entry(prefix: string, d: Decl, decls: Map<string, Decl>, fields: Map<string, string[]>): string {
  if (d.kind === 'const') return `- \`${prefix}.${d.name}\`${d.doc ? `: ${d.doc}` : ''} (${posix.join('src/kernel', d.file)})`;
  const c = closure(decls, `${d.file}#${d.name}`);
  const switches = [...new Set(c.fields.flatMap((f) => fields.get(f) ?? [`(${f})`]))].sort();
  const m = models(d);
  return [
    `### \`${prefix}.${d.signature}\``,
    '',
    `${m ? `Models ${m}. ` : d.file === 'observe.ts' ? 'A state reader for check(); no kernel counterpart. ' : 'A helper of the model, not a kernel function. '}Source: \`${posix.join('src/kernel', d.file)}\`.`,
    '',
    d.doc || '(no doc comment)',
    '',
    `- returns: \`${d.returns}\``,
    `- preemption points: ${c.sites.length > 0 ? c.sites.map((s) => `\`${s}\``).join(', ') : 'none (no other CPU can interleave inside it)'}`,
    `- switches that change it: ${switches.length > 0 ? switches.map((s) => `\`${s}\``).join(', ') : 'none'}`,
  ].join('\n');
}

/** The text of docs/api.md for the repository at `root`. */
export function apiDocs(root: string): string {
  const kdir = join(root, 'src/kernel');
  const decls = readKernel(kdir);
  const fields = switchFields(readFileSync(join(kdir, 'profile.ts'), 'utf8'));
  const section = (prefix: string, file: string): { fns: string[]; consts: string[] } => {
    const list = file === 'api.ts' ? exportsOf(join(kdir, file))
      : [...decls.values()].filter((d) => d.file === file && new RegExp(`export (function|const) ${d.name}\\b`).test(readFileSync(join(kdir, file), 'utf8')))
        .map((d) => ({ name: d.name, from: file }));
    const fns: string[] = [];
    const consts: string[] = [];
    for (const { name, from } of list.sort((a, b) => a.name.localeCompare(b.name))) {
      const d = declOf(decls, kdir, from, name);
      if (!d) throw new Error(`api-docs: ${name} (from ${from}) is not a top-level function or const of src/kernel`);
      (d.kind === 'function' ? fns : consts).push(entry(prefix, d, decls, fields));
    }
    return { fns, consts };
  };
  const api = section('kernel', 'api.ts');
  return `# Kernel API reference

<!-- Generated by scripts/api-docs.ts from src/kernel (npm run api-docs); test/api-docs.test.ts
     checks that this file is current. Do not edit by hand. -->

What a scenario may call: \`import { kernel } from 'foliorace'\`. Every function takes the
\`Cpu\` its \`setup\`, \`actor\` or \`check\` was given first; folios, mms, addresses (PTE indexes) and
swap slots are small integers, checked on every call from a scenario (a bad one is a scenario
error naming the function and the argument).

For each function: the kernel function it models (file and the version the model follows), what it
returns, the **preemption points** it passes (where another CPU may run, in pct/random/replay
modes; the names that race diagrams and traces show), and the **profile switches** that change
what it does (\`foliorace kernels\`; \`--patch NAME=on|off\`). Points and switches include those of
everything it calls.

## Reading the machine in \`check()\`

- which LRU list a folio is on: \`kernel.folioLru(cpu, folio)\` (an \`Lru.*\` number, -1 on none;
  \`kernel.lruName(list)\` names it)
- its references and who holds them: \`kernel.folioRefHolders(cpu, folio)\`; the count alone:
  \`kernel.folio_ref_count(cpu, folio)\`; its mappings: \`kernel.folio_mapcount(cpu, folio)\`
- which per-CPU batches hold it: \`kernel.folioBatches(cpu, folio)\`
- its page flags: \`kernel.folioFlagNames(cpu, folio)\`, or \`kernel.folio_test(cpu, folio, kernel.Pg.lru)\`
- its data, read through a pin: \`kernel.folioData(cpu, folio)\`; why the last migration failed:
  \`kernel.lastMigrationFailure(cpu)\`
- what a process would read at an address, without faulting: \`kernel.peek_user(cpu, mm, addr)\`;
  the folio mapped there: \`kernel.mapped_folio(cpu, mm, addr)\`

## \`kernel.*\` functions

${api.fns.join('\n\n')}

## \`kernel.*\` constants

${api.consts.join('\n')}
`;
}

/** Where docs/patches.md holds the generated list of patchable functions. */
const PATCHABLE_BEGIN = '<!-- patchable functions: generated by scripts/api-docs.ts (npm run api-docs); do not edit by hand -->';
const PATCHABLE_END = '<!-- end of patchable functions -->';

/**
 * `text` (docs/patches.md) with its list of patchable functions generated again from
 * src/kernel/patchable.ts: by group (its comments), each with the kernel function it models, its
 * signature, what the model's version does, its preemption points and the switches that change it.
 */
export function withPatchableSection(text: string, root: string): string {
  const begin = text.indexOf(PATCHABLE_BEGIN);
  const end = text.indexOf(PATCHABLE_END);
  if (begin < 0 || end < begin) throw new Error(`api-docs: docs/patches.md lacks the markers ${PATCHABLE_BEGIN} … ${PATCHABLE_END}`);
  const kdir = join(root, 'src/kernel');
  const decls = readKernel(kdir);
  const fields = switchFields(readFileSync(join(kdir, 'profile.ts'), 'utf8'));
  const where = patchableFns(kdir);
  const table = /const MODEL_FNS = \{([\s\S]*?)\n\};/.exec(readFileSync(join(kdir, 'patchable.ts'), 'utf8'))?.[1] ?? '';
  const parts: string[] = [];
  for (const line of table.split('\n').map((l) => l.trim()).filter((l) => l !== '')) {
    if (line.startsWith('//')) { parts.push(`### ${line.replace(/^\/\/\s*/, '').replace(/^./, (c) => c.toUpperCase())}`); continue; }
    for (const name of line.split(',').map((n) => n.trim()).filter((n) => n !== '')) {
      const d = decls.get(where.get(name) ?? '');
      if (!d) throw new Error(`api-docs: patchable ${name} is not a function of src/kernel`);
      parts.push(entry('kernel', d, decls, fields).replace(/^### /, '#### '));
    }
  }
  return `${text.slice(0, begin)}${PATCHABLE_BEGIN}\n\n${parts.join('\n\n')}\n\n${text.slice(end)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  writeFileSync(join(root, 'docs/api.md'), apiDocs(root));
  const patches = join(root, 'docs/patches.md');
  writeFileSync(patches, withPatchableSection(readFileSync(patches, 'utf8'), root));
  process.stdout.write('wrote docs/api.md and the patchable functions of docs/patches.md\n');
}
