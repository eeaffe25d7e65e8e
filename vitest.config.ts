import { defineConfig } from 'vitest/config';

/** The robustness file whose cases act at a moment: signals at set times, watchdogs of 1 s. */
const TIMED = ['test/robust/cli-hostile.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 60_000,
    reporters: ['default'],
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
        // "The suite"). The other robustness files run here too: the fault contract's cases wait on
        // their commands' watchdogs, whose messages name no moment, and the rest run in-process.
        // A worker keeps its module graph from file to file (isolate: false): each file imported
        // dist anew, 33 to 36 s of the suite's CPU (21 s so); a file that mocks restores its mocks,
        // and warm CPU workers are reused as a run would reuse them (test/warm-workers.test.ts).
        extends: true,
        test: {
          name: 'machine', include: ['test/**/*.test.ts'], exclude: ['test/unit/**', ...TIMED], maxWorkers: 2, isolate: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        // cli-hostile, alone and last: its cases signal a process at a moment (300 ms into loading)
        // or stop a looping CPU with a 1 s watchdog and check what it printed. Beside another file,
        // two of them printed another moment's message.
        extends: true,
        test: { name: 'robust', include: TIMED, sequence: { groupOrder: 2 } },
      },
    ],
  },
});
