// Every case the kernel's tools/testing/selftests/mm/cow.c and gup_longterm.c print, whether the
// model can express it, and what the real kernel gives per profile, with where that was read.
// The cases are built the way the selftests build them: a table of test descriptions times the
// kinds of memory each is run "with" (run_anon_test_case(), run_non_anon_test_case(),
// run_test_case()). Sizes in "(N kB)" stand for every THP or hugetlb size the machine offers.
//
// Kernel results: 'pass', 'fail', 'xfail' (the selftest expects the failure), 'skip' (the
// selftest skips: the feature is missing), 'fs' (fails where the file lives on ext4, xfs or
// btrfs, passes on tmpfs), 'race' (passes as the selftest runs it, but that kernel can fail it
// when reclaim races the pin, as the port's second CPU does), '?' (not established here). A basis note marked [infer] is our reading
// of the code or of a cover letter, not a statement of a maintainer.

/** The kernel profiles the suite reports, oldest first. */
export const SELFTEST_PROFILES = ['5.17', '5.18', '5.19', '6.10', '6.11', '6.17'] as const;
export type SelftestProfile = (typeof SELFTEST_PROFILES)[number];
export type KernelResult = 'pass' | 'fail' | 'xfail' | 'skip' | 'fs' | 'race' | '?';

export interface SelftestCase {
  readonly file: 'cow.c' | 'gup_longterm.c';
  /** Exactly as the selftest prints it: "[RUN] <title>" (≤6.15) or "# <title>" then "ok N <title>". */
  readonly title: string;
  /** The foliorace scenario that ports it, or null when the case is out of the model's scope. */
  readonly scenario: string | null;
  /** Why the case is out of scope (null when in scope). */
  readonly outOfScope: string | null;
  readonly kernel: Readonly<Record<SelftestProfile, KernelResult>>;
  /**
   * Profiles where the selftest itself prints SKIP, because its harness lacks what it needs there;
   * `kernel` then says what the kernel's mechanism does, which the selftest cannot show.
   */
  readonly selftestSkips?: readonly SelftestProfile[];
  /** The commits behind the kernel results and where they were read. */
  readonly basis: string;
}

/** The scenario name for a case: its printed title, prefixed by the selftest, as a kebab-case word. */
export function scenarioName(file: SelftestCase['file'], title: string): string {
  const slug = title.toLowerCase().replace(/r\/o/g, 'ro').replace(/r\/w/g, 'rw').replace(/\(\)/g, '')
    .replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return `${file === 'cow.c' ? 'cow' : 'gup-longterm'}-${slug}`;
}

type Results = Record<SelftestProfile, KernelResult>;
function all(r: KernelResult): Results {
  return { '5.17': r, '5.18': r, '5.19': r, '6.10': r, '6.11': r, '6.17': r };
}
/** 'fail' in the profiles before `first`, 'pass' from it on (or `before` instead of 'fail'). */
function fixedIn(first: SelftestProfile, before: KernelResult = 'fail'): Results {
  const i = SELFTEST_PROFILES.indexOf(first);
  return Object.fromEntries(SELFTEST_PROFILES.map((p, j) => [p, j < i ? before : 'pass'])) as Results;
}

// ── the kernel history the results come from ──
const COW_5_9 = 'fork COW breaks on page_count != 1 since 09854ba94c6a (v5.9), which closed CVE-2020-29374 ' +
  '(17839856fd58, v5.8); cow.c cover letter (linux-kselftest, 27 Sep 2022): all anon tests pass on then ' +
  'upstream except the hugetlb vmsplice ones';
const UNSHARE_5_19 = 'R/O pins unshare possibly shared anon pages: c89357e27f20 + a7f226604170 (v5.19, "mm: COW fixes ' +
  'part 2", v3 cover letter 29 Mar 2022, mainline ids in an mm commit list); before, the write fault copies the ' +
  'pinned page (page_count != 1) [infer from do_wp_page()]';
const RW_PIN_5_19 = 'PG_anon_exclusive (6c287605fd56, v5.19) lets the write fault reuse the exclusive pinned page; ' +
  '5.17/5.18 copy it because page_count != 1 [infer from do_wp_page(); part 2 cover letter: R/W pins lose ' +
  'synchronicity]';
const SWAP_GET_5_18 = 'with a swapped-out page 5.17 still leaks: do_swap_page() reuses the page on a write fault when ' +
  'reuse_swap_page() (mapcount + swap count) says so, blind to the pipe\'s FOLL_GET reference; "COW fixes part 1" ' +
  '(RFC v2 cover letter 26 Jan 2022: "fixing two remaining instances of CVE-2020-29374", THP and swap) replaced it ' +
  'by the refcount rule, c145e0b47c77 (v5.18)';
const FORK_PIN_5_9 = 'fork() copies a possibly pinned page for the child since 70e806e4e645 (v5.9) [infer: no later change read]';
const RECLAIM_PIN_5_19 = 'race on 5.17/5.18: reclaim tests folio_maybe_dma_pinned() (feb889fb40fa) before add_to_swap() and ' +
  'unmaps without looking again, so a pin taken in between is swapped out under the pin; the part 2 cover letter ' +
  'describes this shrink_page_list() race, closed in 5.19 (try_to_unmap() keeps a pinned exclusive page mapped)';
const MPROTECT_6_0 = 'mprotect() maps only exclusive anon PTEs writable (64fe24a3e05e, v6.0; posted 10 Jun 2022); a page ' +
  'shared by fork is not exclusive';
const NON_ANON_6_2 = 'R/O long-term pins in COW mappings unshare the zeropage and pagecache pages since 84209e87c696 ' +
  '(v6.2; Nov 2022 mm commit list; cited by the vfio zeropage revert, Feb 2024); before, the write fault replaces ' +
  'the pinned page [commit message]';
const COLLAPSE_6_1 = 'MADV_COLLAPSE appears in v6.1; older kernels make the test skip [infer]';
const FILE_PIN_6_5 = 'FOLL_LONGTERM|FOLL_WRITE on file mappings that need dirty tracking is refused since 8ac268436e6d ' +
  '(GUP) and a6e79df92e4a (GUP-fast), v6.5 (v8 posted 2 May 2023); before, the pin succeeds: "Should have failed"';

// ── cow.c ──
const COW_ANON_DESCS = [
  'Basic COW after fork()',
  'Basic COW after fork() with mprotect() optimization',
  'vmsplice() + unmap in child',
  'vmsplice() + unmap in child with mprotect() optimization',
  'vmsplice() before fork(), unmap in parent after fork()',
  'vmsplice() + unmap in parent after fork()',
  'R/O-mapping a page registered as iouring fixed buffer',
  'fork() with an iouring fixed buffer',
  'R/O GUP pin on R/O-mapped shared page',
  'R/O GUP-fast pin on R/O-mapped shared page',
  'R/O GUP pin on R/O-mapped previously-shared page',
  'R/O GUP-fast pin on R/O-mapped previously-shared page',
  'R/O GUP pin on R/O-mapped exclusive page',
  'R/O GUP-fast pin on R/O-mapped exclusive page',
] as const;
type AnonDesc = (typeof COW_ANON_DESCS)[number];

/** Which kind of test function a description runs. */
function anonKind(desc: AnonDesc): 'cow' | 'vmsplice' | 'iouring-ro' | 'iouring-fork' | 'ro-pin' {
  if (desc.startsWith('Basic')) return 'cow';
  if (desc.startsWith('vmsplice')) return 'vmsplice';
  if (desc.startsWith('R/O-mapping')) return 'iouring-ro';
  if (desc.startsWith('fork()')) return 'iouring-fork';
  return 'ro-pin';
}

/** The R/O pin cases pin through gup_test's ioctl, which 5.17–5.19 do not have. */
const GUP_TEST_6_1 = 'the pin goes through gup_test\'s PIN_LONGTERM_TEST_START ioctl, which arrived in v6.1: on 5.17–5.19 ' +
  'the selftest skips these cases [issue 23\'s review; not re-read here], and the kernel column gives the mechanism\'s verdict';

/** The in-scope kernel result of a base-page anon case (base page or swapped-out base page). */
function anonBaseResult(desc: AnonDesc, kind: (typeof BASE_KINDS)[number]):
  { kernel: Results; basis: string; selftestSkips?: readonly SelftestProfile[] } {
  switch (anonKind(desc)) {
    case 'cow': return { kernel: all('pass'), basis: desc.includes('mprotect') ? `${COW_5_9}; ${MPROTECT_6_0}` : COW_5_9 };
    case 'vmsplice':
      // before fork(), the vmsplice() itself faulted the page back in: no swap-in write fault follows [infer]
      return kind === 'swapped out base page' && !desc.includes('before fork')
        ? { kernel: fixedIn('5.18'), basis: `vmsplice() takes FOLL_GET references; ${SWAP_GET_5_18}` }
        : { kernel: all('pass'), basis: `vmsplice() takes FOLL_GET references; ${COW_5_9}` };
    case 'iouring-ro': return { kernel: fixedIn('5.19'), basis: RW_PIN_5_19 };
    case 'iouring-fork': return { kernel: fixedIn('5.19', 'race'), basis: `${FORK_PIN_5_9}; ${RECLAIM_PIN_5_19}` };
    case 'ro-pin': return { kernel: fixedIn('5.19'), basis: `${UNSHARE_5_19}; ${GUP_TEST_6_1}`, selftestSkips: ['5.17', '5.18', '5.19'] };
  }
}

const BASE_KINDS = ['base page', 'swapped out base page'] as const;
const THP_KINDS = ['THP (N kB)', 'swapped-out THP (N kB)', 'PTE-mapped THP (N kB)', 'swapped-out, PTE-mapped THP (N kB)',
  'single PTE of THP (N kB)', 'single PTE of swapped-out THP (N kB)', "partially mremap()'ed THP (N kB)",
  'partially shared THP (N kB)'] as const;

const WHY_LARGE = 'large folios (THP, mTHP, hugetlb) are not modelled: small folios only (stubs.ts largeFolios)';

function anonLargeResult(desc: AnonDesc, hugetlb: boolean): { kernel: Results; basis: string } {
  switch (anonKind(desc)) {
    case 'cow': return { kernel: all('pass'), basis: `${COW_5_9} [infer for 5.x]` };
    case 'vmsplice':
      return hugetlb
        ? { kernel: all('xfail'), basis: 'cow.c marks the hugetlb vmsplice() cases xfail: vmsplice() still uses FOLL_GET' }
        : { kernel: fixedIn('5.19', '?'), basis: 'cow.c cover letter (Sep 2022): passes on then upstream; 5.x THP COW not read' };
    case 'iouring-ro': return { kernel: fixedIn('5.19', '?'), basis: `${RW_PIN_5_19}; large folios not read for 5.x` };
    case 'iouring-fork': return { kernel: all('pass'), basis: `${FORK_PIN_5_9} [infer for large folios]` };
    case 'ro-pin': return { kernel: fixedIn('5.19'), basis: `${UNSHARE_5_19}; the v2 changelog adds unsharing to gup_hugepte()` };
  }
}

function cowAnonCases(): SelftestCase[] {
  const out: SelftestCase[] = [];
  for (const desc of COW_ANON_DESCS) {
    for (const kind of BASE_KINDS) {
      const title = `${desc} ... with ${kind}`;
      out.push({ file: 'cow.c', title, scenario: scenarioName('cow.c', title), outOfScope: null, ...anonBaseResult(desc, kind) });
    }
    for (const kind of [...THP_KINDS, 'hugetlb (N kB)']) {
      const title = `${desc} ... with ${kind}`;
      out.push({ file: 'cow.c', title, scenario: null, outOfScope: WHY_LARGE, ...anonLargeResult(desc, kind.startsWith('hugetlb')) });
    }
  }
  return out;
}

const COW_THP_COLLAPSE = [
  'Basic COW after fork() when collapsing before fork()',
  'Basic COW after fork() when collapsing after fork() (fully shared)',
  'Basic COW after fork() when collapsing after fork() (lower shared)',
  'Basic COW after fork() when collapsing after fork() (upper shared)',
] as const;

const COW_NON_ANON_DESCS = ['Basic COW', 'R/O longterm GUP pin', 'R/O longterm GUP-fast pin'] as const;
const NON_ANON_KINDS = ['shared zeropage', 'memfd', 'tmpfile', 'huge zeropage', 'memfd hugetlb (N kB)'] as const;
const WHY_NON_ANON: Record<(typeof NON_ANON_KINDS)[number], string> = {
  'shared zeropage': 'the model never maps the shared zeropage (a load of an empty PTE reads 0 without mapping a page)',
  memfd: 'no page cache: the model has anonymous memory only (shmem/memfd not modelled)',
  tmpfile: 'no page cache: the model has anonymous memory only (files not modelled)',
  'huge zeropage': 'no huge zeropage: small folios only',
  'memfd hugetlb (N kB)': 'no hugetlb and no page cache',
};

function cowOtherCases(): SelftestCase[] {
  const out: SelftestCase[] = [];
  for (const title of COW_THP_COLLAPSE) {
    out.push({ file: 'cow.c', title, scenario: null, outOfScope: `${WHY_LARGE}; MADV_COLLAPSE not modelled`,
      kernel: fixedIn('6.10', 'skip'), basis: COLLAPSE_6_1 });
  }
  for (const desc of COW_NON_ANON_DESCS) {
    for (const kind of NON_ANON_KINDS) {
      const pin = desc !== 'Basic COW';
      out.push({ file: 'cow.c', title: `${desc} ... with ${kind}`, scenario: null, outOfScope: WHY_NON_ANON[kind],
        kernel: pin ? fixedIn('6.10') : all('pass'),
        basis: pin ? `${NON_ANON_6_2}${kind === 'shared zeropage' || kind === 'memfd' || kind === 'tmpfile' ? '' : ' [infer for this kind]'}`
          : 'a write to a private mapping always copied a zeropage or pagecache page [infer]' });
    }
  }
  return out;
}

// ── gup_longterm.c ──
const GUP_LONGTERM_DESCS = [
  'R/W longterm GUP pin in MAP_SHARED file mapping',
  'R/W longterm GUP-fast pin in MAP_SHARED file mapping',
  'R/O longterm GUP pin in MAP_SHARED file mapping',
  'R/O longterm GUP-fast pin in MAP_SHARED file mapping',
  'R/W longterm GUP pin in MAP_PRIVATE file mapping',
  'R/W longterm GUP-fast pin in MAP_PRIVATE file mapping',
  'R/O longterm GUP pin in MAP_PRIVATE file mapping',
  'R/O longterm GUP-fast pin in MAP_PRIVATE file mapping',
  'io_uring fixed buffer with MAP_SHARED file mapping',
  'io_uring fixed buffer with MAP_PRIVATE file mapping',
] as const;
const GUP_LONGTERM_KINDS = ['memfd', 'tmpfile', 'local tmpfile', 'memfd hugetlb (N kB)'] as const;
const WHY_FILE = 'every gup_longterm.c case maps a file (memfd/shmem, tmpfile, a file in the current directory, ' +
  'hugetlbfs); the model has anonymous memory only, no page cache and no filesystem';

function gupLongtermCases(): SelftestCase[] {
  const out: SelftestCase[] = [];
  for (const desc of GUP_LONGTERM_DESCS) {
    for (const kind of GUP_LONGTERM_KINDS) {
      const onDisk = kind === 'tmpfile' || kind === 'local tmpfile';
      let kernel: Results;
      let basis: string;
      if (desc.startsWith('io_uring')) {
        kernel = fixedIn('6.10', '?');
        basis = 'io_uring buffer registration checks before v6.5 not read; passes on the kernels the test was written for [infer]';
      } else if (desc.startsWith('R/W') && desc.includes('MAP_SHARED') && onDisk) {
        kernel = fixedIn('6.10', 'fs');
        basis = `${FILE_PIN_6_5}; on tmpfs the pin must work and does`;
      } else {
        kernel = all('pass');
        basis = 'R/O pins, pins in private mappings, shmem and hugetlb pins are expected to work and do [infer]';
      }
      out.push({ file: 'gup_longterm.c', title: `${desc} ... with ${kind}`, scenario: null, outOfScope: WHY_FILE, kernel, basis });
    }
  }
  return out;
}

/** Every case of cow.c, then gup_longterm.c, in the order the selftests run them. */
export const SELFTEST_CASES: readonly SelftestCase[] = [...cowAnonCases(), ...cowOtherCases(), ...gupLongtermCases()];
