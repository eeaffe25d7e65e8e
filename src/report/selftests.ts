// The selftest suite's tables: the pass/fail matrix of the model (one row per case, a column per
// profile, grouped by the selftest's test description) and the full catalogue with the kernel's
// results, as text or as the Markdown table of docs/selftests.md.
import { SELFTEST_CASES, type SelftestCase } from '../scenarios/selftests/catalogue.js';
import type { SelftestCell, SelftestRow } from '../api/selftests.js';
import { formatTable } from './table.js';
import { ratesNote } from './rates-note.js';

const SEP = ' ... with ';

/** "desc ... with kind" → [desc, "... with kind"]. */
function split(title: string): [string, string] {
  const i = title.indexOf(SEP);
  return i < 0 ? [title, ''] : [title.slice(0, i), `...${title.slice(i + 4)}`];
}

/**
 * A table whose rows are grouped under a test description: each group's header is a line of its
 * own (not a cell), so long descriptions do not widen the columns.
 */
function groupedTable(head: readonly string[], groups: readonly { header: string; rows: string[][] }[]): string {
  const rows: string[][] = [[...head]];
  const headers = new Map<number, string>();
  for (const g of groups) {
    headers.set(rows.length, g.header);
    rows.push(head.map(() => ''));
    rows.push(...g.rows);
  }
  return formatTable(rows).split('\n').map((line, i) => headers.get(i) ?? line).join('\n');
}

/** Groups consecutive titles by file and test description. */
function grouped<T>(items: readonly T[], title: (t: T) => string, file: (t: T) => string,
  row: (t: T, kind: string) => string[]): { header: string; rows: string[][] }[] {
  const groups: { header: string; rows: string[][] }[] = [];
  for (const it of items) {
    const [desc, kind] = split(title(it));
    const header = `${file(it)}: ${desc}`;
    if (groups[groups.length - 1]?.header !== header) groups.push({ header, rows: [] });
    groups[groups.length - 1]!.rows.push(row(it, `  ${kind || '(as printed)'}`));
  }
  return groups;
}

function cellText(c: SelftestCell): string {
  const verdict = c.model === 'pass' ? 'pass' : c.model === 'fail' ? 'FAIL' : 'ERR';
  return c.agrees ? verdict : `${verdict}!`;
}

/** The model's pass/fail matrix, cases grouped under their test description. */
export function selftestMatrix(rows: readonly SelftestRow[], kernels: readonly string[]): string {
  const table = groupedTable(['case', ...kernels], grouped(rows, (r) => r.title, (r) => r.file,
    (r, kind) => [kind, ...kernels.map((k) => { const c = r.cells[k]; return c ? cellText(c) : '-'; })]));
  const cells = rows.flatMap((r) => Object.values(r.cells));
  const off = cells.filter((c) => !c.agrees).length;
  const crashes = rows.flatMap((r) => Object.entries(r.cells).filter(([, c]) => c.crash !== undefined)
    .map(([k, c]) => `  ${r.scenario} under ${k}: ${c.crash ?? ''}`));
  return `${table}\n\n` +
    'pass/FAIL: the selftest\'s verdict in the model (FAIL: some iteration reached the selftest\'s failure);\n' +
    'ERR: an invariant violation, deadlock or crash; !: the real kernel gives the other answer (docs/selftests.md).\n' +
    (crashes.length > 0 ? `crashes:\n${crashes.join('\n')}\n` : '') +
    `${cells.length} runs, ${off === 0 ? 'all agree with the kernel' : `${off} disagree with the kernel`}. ` +
    `Pass and fail ${ratesNote('counts')}.`;
}

/** Every case of both selftests with the kernel's results and why a case is out of scope. */
export function selftestCatalogue(kernels: readonly string[]): string {
  const table = groupedTable(['case', 'port', ...kernels], grouped(SELFTEST_CASES, (c) => c.title, (c) => c.file,
    (c, kind) => [kind, c.scenario === null ? 'out' : 'yes', ...kernels.map((k) => (c.kernel as Record<string, string>)[k] ?? '?')]));
  return `${table}\n\nkernel results: pass, fail, xfail (expected by the selftest), skip (feature missing),\n` +
    'fs (fails on ext4/xfs/btrfs, passes on tmpfs), race (the selftest passes; reclaim racing the pin can\n' +
    'make that kernel fail it), ? (not established). Why each case is in or out of\n' +
    'scope, and the commits behind each result: docs/selftests.md, foliorace selftests --all --json.';
}

function mdCell(c: SelftestCase, k: string, row: SelftestRow | undefined): string {
  const mechanism = (c.kernel as Record<string, string>)[k] ?? '?';
  const kernel = (c.selftestSkips as readonly string[] | undefined)?.includes(k) ? `skip (${mechanism})` : mechanism;
  if (c.scenario === null) return `${kernel} / —`;
  const cell = row?.cells[k];
  if (!cell) return `${kernel} / ?`;
  return `${kernel} / ${cell.model === 'fail' ? '**fail**' : cell.model}${cell.agrees ? '' : ' ✗'}`;
}

/** The Markdown table of docs/selftests.md: every case, kernel / model per profile. */
export function selftestMarkdown(rows: readonly SelftestRow[], kernels: readonly string[]): string {
  const byTitle = new Map(rows.map((r) => [r.title, r]));
  const lines = [`| case | scenario or why out of scope | ${kernels.join(' | ')} |`, `|---|---|${kernels.map(() => '---').join('|')}|`];
  for (const c of SELFTEST_CASES) {
    const port = c.scenario === null ? c.outOfScope ?? '' : `\`${c.scenario}\``;
    lines.push(`| ${c.file}: ${c.title.replace(/\|/g, '\\|')} | ${port} | ${kernels.map((k) => mdCell(c, k, byTitle.get(c.title))).join(' | ')} |`);
  }
  return lines.join('\n');
}
