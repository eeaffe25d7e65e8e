// The public API of foliorace.
export { defineScenario, ScenarioVars } from './scenarios/define.js';
export type { Scenario, OutcomeKind, Expectation } from './scenarios/define.js';
export { runScenario, replayFailure } from './runner/api.js';
export type { RunOptions } from './runner/options.js';
export { expectScenario } from './runner/expect.js';
export type { ExpectBudget, ExpectResult } from './runner/expect.js';
export type { RunReport, OutcomeRow, FailureReport } from './report/report.js';
export type { Cpu } from './kernel/cpu.js';
export { PROFILES, PATCHES } from './kernel/profile.js';
import * as kernelApi from './kernel/api.js';
import { checkedKernel } from './kernel/checked.js';
/** The model's kernel functions, each checking its arguments (a scenario's calls; kernel/checked.ts). */
export const kernel: typeof kernelApi = checkedKernel(kernelApi);
