// The run API: what a program or a test calls to run scenarios and replay failures (the main
// thread's side; a scenario's own code never needs it).
export { runScenario, replayFailure } from './run.js';
export type { RunOptions } from '../host/options.js';
export { expectScenario } from './expect.js';
export type { ExpectBudget, ExpectResult } from './expect.js';
export type { RunReport, OutcomeRow, FailureReport } from '../report/report.js';
