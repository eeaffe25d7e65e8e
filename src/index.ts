// The public API of foliorace.
import * as kernelApi from './kernel/api.js';
import { checkedKernel } from './kernel/checked.js';
import * as inspectApi from './kernel/inspect.js';

export { defineScenario, ScenarioVars } from './scenarios/define.js';
export type { Scenario, OutcomeKind, Expectation } from './scenarios/define.js';
export { runScenario, replayFailure } from './runner/api.js';
export type { RunOptions } from './runner/options.js';
export { expectScenario } from './runner/expect.js';
export type { ExpectBudget, ExpectResult } from './runner/expect.js';
export type { RunReport, OutcomeRow, FailureReport } from './report/report.js';
export type { Cpu } from './kernel/cpu.js';
export { PROFILES, PATCHES } from './kernel/profile.js';
/** The model's kernel functions, each checking its arguments (a scenario's calls; kernel/checked.ts). */
export const kernel: typeof kernelApi = checkedKernel(kernelApi);
/** Read-side helpers for a scenario's check(): LRU list, batches, reference holders, flags. */
export const inspect: typeof inspectApi = checkedKernel(inspectApi);
export type { LruName, BatchName, RefHolders } from './kernel/inspect.js';
