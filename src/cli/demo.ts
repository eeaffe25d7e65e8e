// `foliorace demo` (and `npm start`): the campaign shipped in campaigns/demo.json, every built-in
// scenario before and after its fix, run here with no result directory; then the kernel selftest
// cases' pass/fail matrix (docs/selftests.md).
import { fileURLToPath } from 'node:url';
import { runSelftests } from '../api/selftests.js';
import { SELFTEST_PROFILES } from '../scenarios/selftests/catalogue.js';
import { selftestMatrix } from '../report/selftests.js';
import { runCampaignFile } from './campaign.js';
import { num } from '../report/num.js';
import { stderr, stdout } from './io.js';

/** dist/src/cli/demo.js → the package root's campaigns/. */
export const DEMO_CAMPAIGN = fileURLToPath(new URL('../../../campaigns/demo.json', import.meta.url));
const SELFTEST_ITERATIONS = 1000;

/**
 * `signal` (SIGINT, SIGTERM) stops the campaign after its finished units, and skips the selftests.
 * `campaign`: the shipped demo's file; test/demo.test.ts gives a copy of it at small sizes.
 */
export async function runDemo(asJson: boolean, signal: AbortSignal, campaign = DEMO_CAMPAIGN): Promise<number> {
  const code = await runCampaignFile(campaign, { index: 1, count: 1, source: 'unsharded' }, null, asJson, signal);
  if (asJson || code > 1 || signal.aborted) return code;
  stderr().write('running the kernel selftest cases under every profile…\n');
  const tty = stderr().isTTY === true;
  const rows = await runSelftests({ iterations: SELFTEST_ITERATIONS, signal }, (done, total, what) => {
    if (tty) stderr().write(`\r\x1b[K  [${done + 1}/${total}] ${what}`.slice(0, (stderr().columns ?? 80) + 4));
  });
  if (tty) stderr().write('\r\x1b[K');
  stdout().write(`\nThe kernel's mm selftests (cow.c, gup_longterm.c), pct, seed 1, ` +
    `${num(SELFTEST_ITERATIONS)} iterations per cell:\n${selftestMatrix(rows, SELFTEST_PROFILES)}\n`);
  const agree = rows.every((r) => Object.values(r.cells).every((c) => c.agrees));
  return agree ? code : 1;
}
