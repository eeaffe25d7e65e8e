import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    // The build's modules load as Node loads them for a user (native ESM, cached for the worker's
    // life), not through Vite's transform: 3 s of transform and 3 s of import of every 30 s of the
    // scenario files. What a test claims of dist is then what a user's project gets (where vitest
    // externalizes foliorace from node_modules: src/cpu/scenario-fault.ts maps stack frames itself).
    server: { deps: { external: [/\/dist\//] } },
    projects: [
      {
        // Model functions on a machine in the test's own thread: no worker, no process. Files run two
        // at a time in workers that are reused from file to file (their start-up, not their tests,
        // was most of their time).
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], isolate: false, maxWorkers: 2, sequence: { groupOrder: 0 } },
      },
      {
        // Everything that starts CPU workers or foliorace processes, after the unit files, two files
        // at a time. Most of their time one thread per file works: a controlled run (pct, exhaustive,
        // verify) moves one baton between its CPUs, which sleep instead of spinning while the host
        // is crowded (src/cpu/spin.ts), and a CLI test waits on its child processes. One file at a time
        // left a core idle through most of the suite. Free mode's claims hold under load: every
        // "finds within 10 s" passed, one file at a time and two, at loads of 6 to 11 (bench/README.md,
        // "The suite"), but one missed in CI while another file's free run took the cores, so a free
        // find has 30 s now (test/helpers/free.ts). The robustness files run here too: the fault
        // contract's and cli-hostile's cases wait on watchdogs, whose messages name no moment, and
        // cli-hostile's signals come at moments after which every command prints the same (its
        // heading, the report so far); the rest run in-process.
        // A worker keeps its module graph from file to file (isolate: false): each file imported
        // dist anew, 33 to 36 s of the suite's CPU (21 s so); a file that mocks restores its mocks,
        // and warm CPU workers are reused as a run would reuse them (test/warm-workers.test.ts).
        // Each worker is a process (forks): a command run in a user's directory changes the
        // process's working directory for its call (test/helpers/in-process.ts).
        extends: true,
        test: {
          name: 'machine', include: ['test/**/*.test.ts'], exclude: ['test/unit/**'], pool: 'forks', maxWorkers: 2, isolate: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
