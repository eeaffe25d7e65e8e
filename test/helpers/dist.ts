// Tests that start workers use the built package, as a user would (workers load compiled JS).
export { runScenario, replayFailure } from '../../dist/src/index.js';
export type { RunReport } from '../../dist/src/index.js';
export { BUILTIN_SCENARIOS } from '../../dist/src/scenarios/index.js';

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh directory for failure files. */
export function tempOut(): string {
  return mkdtempSync(join(tmpdir(), 'foliorace-test-'));
}
