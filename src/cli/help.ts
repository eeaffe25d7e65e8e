// --help texts.
import { DEFAULT_ITERATIONS, DEFAULT_WORKER_MEMORY_MB, durationText } from '../host/options.js';
import { GRACE_MS } from '../host/watchdog.js';
import { NEWEST_PROFILE } from '../kernel/profile.js';
import { SELFTEST_PROFILES } from '../scenarios/selftests/catalogue.js';
import { num } from '../report/num.js';

export const HELP: Record<string, string> = {
  '': `foliorace — a multi-threaded per-CPU emulator of Linux mm LRU-batching races

usage:
  foliorace list [--json]                 built-in scenarios
  foliorace kernels [--wide] [--json]     kernel profiles and their patch switches
  foliorace run <scenario|file.js|file.ts> [options]
                                          run a scenario many times; exit 1 if a forbidden
                                          outcome or invariant violation is found
  foliorace compare <scenario> [--kernels A,B,...] [options]
                                          the same run under several kernel profiles, side by
                                          side (default: the scenario's before and after)
  foliorace replay <failure.json|'STRING'> [--trace FILE] [--json]
                                          replay one recorded failing iteration (a file, or the
                                          replay string printed with every failure)
  foliorace shrink <failure.json> [--json]
                                          shrink a failure's schedule (fewest preemptions, then
                                          steps) into a new file beside it
  foliorace --version                     the version and the model fingerprint
  foliorace demo [--json]                 every built-in scenario before and after its fix
  foliorace init [DIR] [--from SPEC]      a project for your own scenario: package.json,
                                          race.ts (an example race), race.test.ts (npm test),
                                          fix.ts (a fix of it as a patch file), fix.test.ts
  foliorace bench drain [options]         what draining costs: lru_add_drain, lru_add_drain_all,
                                          copying the page; GUP pin throughput per drain policy
  foliorace campaign FILE [--shard I/N|auto]
                                          scenarios × profiles × modes × seeds from a campaign
                                          file, here or as one shard of a job array
  foliorace merge DIR... [--out MERGED]   the shards' results as one verdict table
  foliorace report MERGED --html OUT      a static HTML report of a merged campaign
  foliorace selftests [--kernels A,B] [--cases TEXT] [--all]
                                          the kernel's cow.c / gup_longterm.c cases: the model's
                                          pass/fail per profile beside the real kernel's

Run 'foliorace <command> --help' for the options of a command.
Exit codes: 0 nothing forbidden, 1 forbidden outcome/violation/deadlock found,
            2 usage or input error, or the scenario's code failed (hung, exited, ran out of
            memory: the report so far is printed first), 3 internal error (a foliorace bug),
            130/143 stopped by SIGINT/SIGTERM (the report so far is printed; again: at once).`,
  run: `usage: foliorace run <scenario|file.js|file.ts> [options]

  --kernel P            kernel profile [${NEWEST_PROFILE}] (foliorace kernels)
  --patch NAME=on|off   override one patch switch of the profile (repeatable)
  --patch FILE          a patch file (.ts, .js, .mjs) on top of the profile: your own change
                        to model functions, by kernel name (docs/patches.md); one per run
  --mode free|pct|random|exhaustive|verify
                        free: CPUs really run in parallel (stress) [default]
                        pct, random: one CPU at a time, deterministic from the seed
                        exhaustive: every schedule with at most --preemptions switches
                        verify: every execution up to equivalence (partial-order
                        reduction): "verified" means none forbidden (docs/verify.md)
  --preemptions K       exhaustive [2], verify [no bound]: at most K preemptions
  --part I/N            verify only: explore part I of N of the tree; the N parts of one
                        run (on as many machines) together explore every class once;
                        a campaign's "parts" adds them up (docs/verify.md)
  --part-depth D        with --part: branching decisions walked by every part before
                        the subtrees below are shared out [8 + 4·log2 N]; deeper
                        shares more evenly, at the price of walking a larger top
  --memory sc|tso       sc: sequentially consistent memory [default]; tso: each CPU's
                        stores wait in a store buffer, as on x86 (docs/memory.md)
  --cpus N              simulated CPUs, where the scenario allows a range
  --iterations N        at most this many iterations [${num(DEFAULT_ITERATIONS)}; with
                        --duration alone, no limit; exhaustive, verify: iterations
                        0 .. N-1 searched, 1]
  --duration 10s        stop after this long (with --iterations: whichever comes first)
  --seed S              seed of the strategy and jitter [random; always printed]
  --jitter N            free mode only: seeded random spins of up to N at preemption points [0]
  --stop-on-first       stop at the first forbidden outcome
  --out DIR             where failure files go [./foliorace-failures]
  --no-out              write no failure file
  --trace FILE          Chrome trace-event JSON of the first failing iteration (Perfetto)
  --watchdog 10s        abort an iteration that makes no progress for this long [10s];
                        a CPU that does not unwind ${durationText(GRACE_MS)} later is terminated (exit 2)
  --worker-memory MIB   heap limit of each CPU's worker [${DEFAULT_WORKER_MEMORY_MB}]
  --no-shrink           keep the first failure's schedule as found (default: shrink it to the
                        fewest preemptions, then the fewest steps, with the same outcome)
  --convert-budget 5s   free mode: time to search for an exact schedule of the first failure
                        when its recorded order does not replay [5s]
  --no-typecheck        run a .ts scenario without type-checking it first
  --json                print only the JSON report on stdout (--reporter json)
  --reporter tap        print TAP version 13 as kselftest does: a test point per outcome
  --junit FILE          also write a JUnit XML report to FILE (CI systems)
  --debug               print stack traces of internal errors`,
  replay: `usage: foliorace replay <failure.json> [--trace FILE] [--watchdog 10s] [--worker-memory MIB] [--json]

Replays the failing iteration recorded in a failure file (written by 'foliorace run') under the
same scenario, kernel profile and CPU count, following its schedule step by step. The verdict:
  reproduced: NAME                       the recorded finding came back (exit 1)
  reproduced a different outcome (X, K)  another finding came back (exit 1)
  did not reproduce NAME: why            nothing forbidden came back (exit 0); why names the
                                         mode the file was recorded in
A file that is not a valid failure file for its scenario is exit 2 before anything runs.
A file with a shrunk schedule replays that one; --original replays the schedule as found.
A replay string ('foliorace1:...', printed with every failure) replays without the file.
A file recorded under another model fingerprint (foliorace --version) is replayed anyway; the
first line says so, and whether it still reproduces. A replay in which the scenario's code throws,
hangs, exits or runs out of memory is a scenario error (exit 2), as in a run.

  --original            replay the schedule as found, not the shrunk one
  --trace FILE          Chrome trace-event JSON of the replayed iteration
  --watchdog, --worker-memory
                        as for foliorace run
  --json                print only the JSON report on stdout`,
  shrink: `usage: foliorace shrink <failure.json> [--json] [--convert-budget 5s] [--watchdog 10s] [--worker-memory MIB]

Shrinks the schedule of a failure file: fewest preemptions (switches away from a CPU that could
have gone on) first, then fewest steps, keeping the same outcome. Deterministic: the same file
shrinks to the same schedule. Writes a new file beside the old one (never overwrites), holding
both schedules; replay follows the shrunk one. Exit 1 when the shrunk failure reproduces, 2 when
the file's schedule no longer reproduces under this model, or when a schedule it runs makes the
scenario's code fail (a scenario error as in a run). --watchdog, --worker-memory: as for run.`,
  compare: `usage: foliorace compare <scenario|file.js|file.ts> [--kernels A,B,...] [options]

Runs the scenario under each kernel profile (default: its "before" and "after" profiles) with the
same mode, seed and iteration count, and prints one table: a row per case (outcomes named
"case: result") or per outcome, a column per profile with each result's share, and, where the
scenario states it, what the modelled discussion claims. Exit 1 if any run found a forbidden
outcome, an invariant violation or a deadlock.

  --kernels A,B,...     profiles to compare, two or more (foliorace kernels); a profile with a
                        patch file on top: 6.17+./fix.ts
  --mode, --memory, --cpus, --iterations, --duration, --seed, --jitter, --watchdog,
  --worker-memory, --out, --no-out, --json, --reporter, --junit, --no-typecheck:
                        as for foliorace run (--memory tso: every profile under x86-TSO)`,
  list: 'usage: foliorace list [--json]\n\nThe built-in scenarios: name, CPUs, the kernel discussions they model, summary.',
  kernels: 'usage: foliorace kernels [--wide] [--json]\n\nKernel profiles with the patch switches each turns on, and every switch with the commit or\nthread it models. --wide: the profile × switch grid (wider than 100 columns).',
  bench: `usage: foliorace bench drain [options]

Measures, on simulated CPUs (one worker each), the cost of one lru_add_drain() on CPU0, of one
lru_add_drain_all() from CPU0, and of copying the page instead; every CPU calling
lru_add_drain_all() at once (piggybacking); and long-term pin throughput under each GUP drain
policy. Worker start-up is reported apart from every figure.

  --cpus LIST           simulated CPU counts [1,2,...,128,256] (each 1 to 256)
  --batch LIST          per-CPU batch sizes: 15 (before 6.9), 31 [15,31]
  --fill LIST           CPUs with pending folios: none, one, half, all [all four]
  --load LIST           quiet: the others idle; busy: pending CPUs run activation traffic [both]
  --per-cpu N           folios pending in each pending CPU [smallest batch - 1]
  --reps N              timed calls per figure (median, p99) [20]; GUP: pin passes [40]
  --quick               CPUs 1,2,4,8, 8 reps (npm run bench)
  --kernel P            kernel profile of the cost figures [${NEWEST_PROFILE}]
  --patch NAME=on|off   override one patch switch of it (repeatable)
  --patch FILE          a patch file on top of it (docs/patches.md); with --kernel or --patch,
                        the gup experiment measures this profile too, after the built-in policies
  --experiment LIST     cost, piggyback, gup [all]
  --gup-cpus N          CPUs of gup-pin-throughput: CPU0 pins, the others touch [4]
  --plot FILE           write an SVG of cost against CPU count
  --json                print only the JSON report on stdout
  --debug               print stack traces of internal errors`,
  init: `usage: foliorace init [DIR] [--from VERSION|PATH|TARBALL]

Writes a scenario project into DIR (default: here; existing files are never overwritten):
package.json (foliorace, typescript and vitest as devDependencies), tsconfig.json, race.ts (an
example race whose header draws it as numbered per-CPU steps), race.test.ts (asserts its
expectations with expectScenario), fix.ts (a fix of the race as a patch file, docs/patches.md),
fix.test.ts (the race found before the fix, never after it), README.md and .gitignore. Then:
npm install && npm test.

  --from SPEC           the foliorace to depend on: a version range, a path or a tarball
                        [this version from the registry; a git clone of foliorace: that clone]`,
  demo: `usage: foliorace demo [--json]

Runs the campaign shipped in campaigns/demo.json (what npm start runs): every built-in scenario
under its "before" and "after" kernel profiles and every other profile where it expects the bug,
in pct mode (seed 1, 20,000 iterations) and in free mode (2 s), and prints one verdict table.
Then prints the kernel selftest cases' pass/fail matrix (foliorace selftests, 1,000 pct
iterations per cell). Exit 1 if a result disagrees with what the scenario expects.`,
  campaign: `usage: foliorace campaign FILE.json [--shard I/N | --shard auto [--shard-count N]] [options]

Runs the campaign file's units (scenario × profile × mode cells, each under every seed), one line
on stderr per finished unit, and prints the verdict table. The format: docs/campaigns.md and
docs/campaign.schema.json.

  --shard I/N           run part I of N (1-based); every process computes the same split
  --shard auto          I and N from the engine: JOB_COMPLETION_INDEX (Kubernetes Indexed Job,
                        with --shard-count N), SLURM_ARRAY_TASK_ID/_MIN/_COUNT (Slurm array),
                        CI_NODE_INDEX/CI_NODE_TOTAL (GitLab parallel)
  --shard-count N       the number of shards, where the engine does not say (Kubernetes)
  --out DIR             result directory: shard-I-of-N.json, failures/, traces/
                        [./foliorace-campaign-NAME]; shards may share it
  --no-out              write nothing
  --json                print the result JSON on stdout (a shard: its shard result)
  --watchdog, --worker-memory
                        as for run, for every unit [10s, run's default]

Exit codes as run (the campaign's "exit": "expectation" makes 1 mean a result disagrees with its
expectation instead); 130/143 when stopped by SIGINT/SIGTERM, finished units kept.`,
  merge: `usage: foliorace merge DIR... [--out MERGED] [--partial] [--json]

Merges the shard results in the given directories: sums every cell's histograms over its seeds,
keeps one failure per distinct finding and schedule (copied with its trace), writes
MERGED/merged.json and prints the verdict table. Refused: results of different campaigns, of
different splits, a shard given twice, and (unless --partial) missing or stopped shards.
Different foliorace versions are warned about.

  --out DIR             where merged.json, failures/ and traces/ go [./foliorace-merged]
  --partial             merge although shards or units are missing (listed in the result)
  --json                print merged.json on stdout`,
  report: `usage: foliorace report MERGED_DIR --html OUT_DIR [--bench drain.json]

Writes OUT_DIR/index.html, a static page that opens from file:// (nothing fetched): the verdict
matrix (scenario × profile, against the expectation), every cell's outcome histogram, before and
after side by side, each failure's race diagram, replay command and trace. MERGED_DIR may also be
an unsharded campaign's result directory.

  --html DIR            where the report goes (failure files and traces are copied beside it)
  --bench FILE          include the drain-cost plot of a 'foliorace bench drain --json' result`,
  selftests: `usage: foliorace selftests [--kernels A,B,...] [--cases TEXT] [options]
       foliorace selftests --all [--json]

Runs every in-scope case of the kernel's tools/testing/selftests/mm/cow.c and gup_longterm.c,
ported as scenarios named after the case as the selftest prints it, under each kernel profile,
and prints the pass/fail matrix: the selftest's verdict in the model, marked "!" where the real
kernel gives the other answer (docs/selftests.md has the table, commits and reasons). Exit 0 if
the model agrees with the kernel everywhere it was run, 1 if not.

  --kernels A,B,...     profiles [${SELFTEST_PROFILES.join(',')}]
  --cases TEXT          only cases whose printed title or scenario name contains TEXT
  --mode pct|random|free
                        [pct]; free needs --duration
  --seed S              [1]
  --iterations N        per case and profile [2,000]
  --duration 10s        per case and profile (free mode)
  --all                 print every case of both selftests, in scope or not, with the kernel's
                        results (no runs)
  --markdown            the docs/selftests.md table (every case; kernel / model per profile)
  --json                rows with per-profile kernel result, model result and counts`,
};
