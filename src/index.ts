// The public API of foliorace.
export { defineScenario, ScenarioVars } from './scenarios/define.js';
export type { Scenario, OutcomeKind, Expectation } from './scenarios/define.js';
export { runScenario, replayFailure } from './runner/api.js';
export type { RunOptions } from './runner/options.js';
export type { RunReport, OutcomeRow, FailureReport } from './report/report.js';
export type { Cpu } from './kernel/cpu.js';
export { PROFILES, PATCHES } from './kernel/profile.js';
export * as kernel from './kernel/api.js';
