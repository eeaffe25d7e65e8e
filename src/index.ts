// The public API of foliorace.
// Order matters: the built-in scenarios import this module, and the runner below imports them
// (through its scenario registry), so what a scenario uses is exported before the runner, and
// only as re-exports (live bindings, never a const of this module a scenario could reach too early).
export { defineScenario, ScenarioVars } from './scenario.js';
export type { Scenario, OutcomeKind, Expectation } from './scenario.js';
export { kernel } from './kernel/public.js';
export { pageOut, swapOut, reclaimPass } from './scenarios/kit.js';
export { runScenario, replayFailure } from './runner/api.js';
export type { RunOptions } from './runner/options.js';
export { expectScenario } from './runner/expect.js';
export type { ExpectBudget, ExpectResult } from './runner/expect.js';
export type { RunReport, OutcomeRow, FailureReport } from './report/report.js';
export type { Cpu } from './kernel/cpu.js';
export { PROFILES, PATCHES } from './kernel/profile.js';
