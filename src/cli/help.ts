// --help texts.
import { DEFAULT_ITERATIONS } from '../runner/options.js';
import { NEWEST_PROFILE } from '../kernel/profile.js';

export const HELP: Record<string, string> = {
  '': `foliorace — a multi-threaded per-CPU emulator of Linux mm LRU-batching races

usage:
  foliorace list [--json]                 built-in scenarios
  foliorace kernels [--json]              kernel profiles and their patch switches
  foliorace run <scenario|file.js|file.ts> [options]
                                          run a scenario many times; exit 1 if a forbidden
                                          outcome or invariant violation is found
  foliorace compare <scenario> [--kernels A,B,...] [options]
                                          the same run under several kernel profiles, side by
                                          side (default: the scenario's before and after)
  foliorace replay <failure.json> [--trace FILE] [--json]
                                          replay one recorded failing iteration
  foliorace demo [--json]                 every built-in scenario before and after its fix
  foliorace bench drain [options]         what draining costs: lru_add_drain, lru_add_drain_all,
                                          copying the page; GUP pin throughput per drain policy

Run 'foliorace <command> --help' for the options of a command.
Exit codes: 0 nothing forbidden, 1 forbidden outcome/violation/deadlock found,
            2 usage or input error, 3 internal error (a crash of the model or of foliorace).`,
  run: `usage: foliorace run <scenario|file.js|file.ts> [options]

  --kernel P            kernel profile [${NEWEST_PROFILE}] (foliorace kernels)
  --patch NAME=on|off   override one patch switch of the profile (repeatable)
  --mode free|pct|random
                        free: CPUs really run in parallel (stress) [default]
                        pct, random: one CPU at a time, deterministic from the seed
  --cpus N              simulated CPUs, where the scenario allows a range
  --iterations N        at most this many iterations [${DEFAULT_ITERATIONS.toLocaleString('en-US')}]
  --duration 10s        stop after this long (whichever comes first)
  --seed S              seed of the strategy and jitter [random; always printed]
  --jitter N            free mode: seeded random spins of up to N at preemption points [0]
  --stop-on-first       stop at the first forbidden outcome
  --out DIR             where failure files go [./foliorace-failures]
  --no-out              write no failure file
  --trace FILE          Chrome trace-event JSON of the first failing iteration (Perfetto)
  --watchdog 10s        abort an iteration that makes no progress for this long [10s]
  --json                print only the JSON report on stdout
  --debug               print stack traces of internal errors`,
  replay: `usage: foliorace replay <failure.json> [--trace FILE] [--json]

Replays the failing iteration recorded in a failure file (written by 'foliorace run') under the
same scenario, kernel profile and CPU count, following its schedule step by step, and reports
whether the same outcome came back. Exit 1 if it did (the failure reproduces).`,
  compare: `usage: foliorace compare <scenario|file.js|file.ts> [--kernels A,B,...] [options]

Runs the scenario under each kernel profile (default: its "before" and "after" profiles) with the
same mode, seed and iteration count, and prints one table: a row per case (outcomes named
"case: result") or per outcome, a column per profile with each result's share, and, where the
scenario states it, what the modelled discussion claims. Exit 1 if any run found a forbidden
outcome, an invariant violation or a deadlock.

  --kernels A,B,...     profiles to compare, two or more (foliorace kernels)
  --mode, --cpus, --iterations, --duration, --seed, --jitter, --watchdog, --out, --no-out, --json:
                        as for foliorace run`,
  list: 'usage: foliorace list [--json]\n\nThe built-in scenarios: name, CPUs, the kernel discussions they model, summary.',
  kernels: 'usage: foliorace kernels [--json]\n\nKernel profiles, and every patch switch with the commit or thread it models.',
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
  --experiment LIST     cost, piggyback, gup [all]
  --gup-cpus N          CPUs of gup-pin-throughput: CPU0 pins, the others touch [4]
  --plot FILE           write an SVG of cost against CPU count
  --json                print only the JSON report on stdout
  --debug               print stack traces of internal errors`,
  demo: `usage: foliorace demo [--json]

Runs every built-in scenario under its "before" and "after" kernel profiles (and every other
profile it states an expectation for), in pct mode (seed 1, 20,000 iterations) and in free mode
(2 s), and prints one verdict table. Exit 1 if a run disagrees with what the scenario expects.`,
};
