// `foliorace shrink FILE`: the CLI side (the work is in repro/shrink-file.ts).
import { parseDuration } from '../host/options.js';
import { allowOnly, has, limitFlags, one, type Parsed } from './args.js';
import { UsageError } from '../errors.js';
import { shrinkFailureFile } from '../repro/shrink-file.js';
import { num } from '../report/num.js';
import { stdout } from './io.js';

export async function shrinkCommand(p: Parsed, signal: AbortSignal): Promise<number> {
  allowOnly(p, ['json', 'debug', 'convert-budget', 'watchdog', 'worker-memory']);
  const file = p.positional[0];
  if (!file || p.positional.length > 1) throw new UsageError('shrink needs one failure file: foliorace shrink <failure.json>');
  const budget = one(p, 'convert-budget');
  const r = await shrinkFailureFile(file, {
    convertBudgetMs: budget === undefined ? undefined : parseDuration(budget, 'convert-budget'), ...limitFlags(p), signal,
  });
  if (has(p, 'json')) { stdout().write(`${JSON.stringify(r, null, 2)}\n`); return 1; }
  const k = r.shrunk;
  stdout().write([
    `${r.outcome}: shrunk in ${(k.ms / 1000).toFixed(1)} s (${num(k.runs)} schedules run)`,
    '',
    r.diagram.replace(/^/gm, '  '),
    '',
    `schedule: ${r.schedule}`,
    r.file ? `replay:   npx foliorace replay ${r.file}` : 'the shrunk file could not be written (see stderr)',
  ].join('\n') + '\n');
  return 1;
}
