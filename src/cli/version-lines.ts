// What the CLI says about versions: `foliorace --version`, and the first lines of a replay whose
// file was recorded under another model or with a patch file that has changed since.
import type { RunReport } from '../report/report.js';
import { FOLIORACE_VERSION, MODEL_FINGERPRINT } from '../version.js';

export function versionLine(): string {
  return `foliorace ${FOLIORACE_VERSION} (model ${MODEL_FINGERPRINT})`;
}

/** The warning of a replay under another model fingerprint, and whether it still reproduced. */
export function modelChangedLine(r: RunReport): string {
  const c = r.modelChanged!;
  const was = c.recorded === null ? 'with no model fingerprint (an older foliorace)' : `under model ${c.recorded}`;
  const verdict = r.replay?.reproduced ? 'it still reproduces' : 'it no longer reproduces';
  return `warning: this failure was recorded ${was}; this is model ${c.now}. Replayed anyway: ${verdict}.`;
}

/** The first line of a replay whose patch file was edited since the failure was recorded, and whether it still reproduced. */
export function patchChangedLine(r: RunReport): string {
  const c = r.patchChanged!;
  const verdict = r.replay?.reproduced ? 'it still reproduces' : 'it no longer reproduces';
  return `warning: patch file ${c.path} changed since this failure was recorded (content ${c.recorded}, now ${c.now}). ` +
    `Replayed with it as it is now: ${verdict}.`;
}
