// The authoring surface: everything a scenario file may use, and all that the built-in scenarios
// import (src/scenarios imports only this module, as a user's file imports only 'foliorace').
// It sits below the runner: nothing here starts a worker, loads a file or writes a report, so a
// CPU worker's bundle carries the model and this surface but none of the main thread's code.
export { defineScenario, ScenarioVars } from './define.js';
export type { Scenario, OutcomeKind, Expectation } from './define.js';
export { definePatch } from './patch.js';
export type { Patch } from './patch.js';
export type { KernelFns, PatchableName } from '../kernel/patchable.js';
export { kernel } from '../kernel/public.js';
export { pageOut, swapOut, reclaimPass } from './kit.js';
export type { Cpu } from '../kernel/cpu.js';
export type { BatchId } from '../shm/layout.js';
export { PROFILES, PATCHES } from '../kernel/profile.js';
