// `foliorace demo` (and `npm start`): the campaign shipped in campaigns/demo.json, every built-in
// scenario before and after its fix, run here with no result directory.
import { fileURLToPath } from 'node:url';
import { runCampaignFile } from './campaign.js';

/** dist/src/cli/demo.js → the package root's campaigns/. */
export const DEMO_CAMPAIGN = fileURLToPath(new URL('../../../campaigns/demo.json', import.meta.url));

export function runDemo(asJson: boolean): Promise<number> {
  return runCampaignFile(DEMO_CAMPAIGN, { index: 1, count: 1, source: 'unsharded' }, null, asJson);
}
