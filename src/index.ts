// The public entry, 'foliorace': the authoring surface (what a scenario file uses) and the run API
// (what a program or test calls). Re-exports only; no file under src/ imports it (test/unit/layers).
export * from './scenario/index.js';
export * from './api/index.js';
