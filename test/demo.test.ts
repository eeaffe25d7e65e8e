// `foliorace demo --json` prints the merged result of campaigns/demo.json (docs/cli.md: schema
// campaign-merged). The whole demo takes minutes, so this runs the demo's own code (runDemo) over a
// copy of its campaign file with every size cut: the same scenarios, profiles, modes and seeds, hence
// the same cells, at 10 iterations (and 20 ms where a mode has a time limit).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { MergedResult } from '../src/campaign/result.js';
import { DEMO_CAMPAIGN, runDemo } from '../dist/src/cli/demo.js';
import { readCampaignFile } from '../dist/src/campaign/file.js';
import { planCampaign } from '../dist/src/campaign/plan.js';
import { schemaErrors } from './helpers/schemas.js';

type ModeEntry = { mode: string; iterations?: number; duration?: string };

/** campaigns/demo.json with each mode's iterations at most 10 and its time limit, if any, 20 ms. */
function smallDemo(): string {
  const demo = JSON.parse(readFileSync(DEMO_CAMPAIGN, 'utf8')) as { modes: ModeEntry[] };
  const modes = demo.modes.map((m) => ({ ...m,
    ...(m.iterations === undefined ? {} : { iterations: Math.min(m.iterations, 10) }),
    ...(m.duration === undefined ? {} : { duration: '20ms' }) }));
  const file = join(mkdtempSync(join(tmpdir(), 'foliorace-demo-')), 'demo.json');
  writeFileSync(file, JSON.stringify({ ...demo, modes }));
  return file;
}

/** What `demo --json` over `file` writes to stdout; its progress lines on stderr are dropped. */
async function demoJson(file: string): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => { stdout += String(s); return true; });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await runDemo(true, new AbortController().signal, file);
    return { code, stdout };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('foliorace demo --json', () => {
  it("prints the demo campaign's merged result, every cell of campaigns/demo.json, conforming to campaign-merged", async () => {
    const file = smallDemo();
    const { code, stdout } = await demoJson(file);
    expect([0, 1]).toContain(code); // 1: a cell this small may not find what its scenario expects
    const printed = JSON.parse(stdout) as MergedResult;
    expect(schemaErrors('campaign-merged', printed)).toEqual([]);
    const spec = readCampaignFile(DEMO_CAMPAIGN);
    const demo = await planCampaign(spec, DEMO_CAMPAIGN);
    expect(printed.campaign.name).toBe(demo.name);
    expect(printed.cells.map((c) => c.key)).toEqual(demo.cells.map((c) => c.key));
    for (const c of printed.cells) expect(c.seeds, c.key).toEqual(spec.seeds);
  });
});
