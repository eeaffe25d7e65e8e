// The authoring surface: everything a scenario file may use, and all that the built-in scenarios
// import (src/scenarios imports only this module, as a user's file imports only 'foliorace').
// It sits below the runner: nothing here starts a worker, loads a file or writes a report, so a
// CPU worker's bundle carries the model and this surface but none of the main thread's code.
export { defineScenario, ScenarioVars } from './define.js';
export type { Scenario, OutcomeKind, Expectation } from './define.js';
export { kernel } from '../kernel/public.js';
export { pageOut, swapOut, reclaimPass } from './kit.js';
export type { Cpu } from '../kernel/cpu.js';
export { PROFILES, PATCHES } from '../kernel/profile.js';
