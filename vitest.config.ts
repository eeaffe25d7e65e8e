import { defineConfig } from 'vitest/config';

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
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], isolate: false, sequence: { groupOrder: 0 } },
      },
      {
        // Everything that starts CPU workers or foliorace processes. On a 2-core machine, test files
        // run one at a time, after the unit files, so that their simulated CPUs do not compete.
        extends: true,
        test: {
          name: 'machine', include: ['test/**/*.test.ts'], exclude: ['test/unit/**'], fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
