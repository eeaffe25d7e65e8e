// The public API of foliorace.
// Order matters: the built-in scenarios import this module, and the runner below imports them
// (through its scenario registry), so what a scenario uses is exported before the runner.
export { defineScenario, ScenarioVars } from './scenario.js';
export type { Scenario, OutcomeKind, Expectation } from './scenario.js';
export * as kernel from './kernel/api.js';
export { pageOut, swapOut, reclaimPass } from './scenarios/kit.js';
export { runScenario, replayFailure } from './runner/api.js';
export type { RunOptions } from './runner/options.js';
export type { RunReport, OutcomeRow, FailureReport } from './report/report.js';
export type { Cpu } from './kernel/cpu.js';
export { PROFILES, PATCHES } from './kernel/profile.js';
