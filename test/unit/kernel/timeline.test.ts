// The switch timeline (src/kernel/patches.ts since/until) against every profile: a mainline
// profile has exactly the switches of its release; a posting's or a stable tree's differs from
// its base release only by what it declares (postings; backports with where each was read).
import { describe, expect, it } from 'vitest';
import { compareReleases } from '../../../src/kernel/patches.js';
import { PATCHES, PROFILES, type PatchName, type Profile } from '../../../src/kernel/profile.js';

const byName = new Map<string, (typeof PATCHES)[number]>(PATCHES.map((p) => [p.name, p]));

/** The switches mainline release `r` has, by PATCHES' since/until alone. */
function mainline(r: string): Set<PatchName> {
  return new Set(PATCHES.filter((p) => p.since !== null && compareReleases(p.since, r) <= 0 &&
    !('until' in p && compareReleases(p.until, r) <= 0)).map((p) => p.name));
}

/** A profile's switches derived from its base release and its declarations, and what is wrong with them. */
function derive(p: Profile): { on: Set<PatchName>; problems: string[] } {
  const on = mainline(p.base);
  const problems: string[] = [];
  for (const name of p.postings ?? []) {
    if (byName.get(name)?.since !== null) problems.push(`${name} is declared a posting but entered mainline`);
    on.add(name);
  }
  for (const b of p.backports ?? []) {
    if (on.has(b.patch) === b.on) problems.push(`backport ${b.patch}=${b.on ? 'on' : 'off'} changes nothing`);
    if (b.from.trim() === '') problems.push(`backport ${b.patch} does not say where it was read`);
    if (b.on) on.add(b.patch); else on.delete(b.patch);
  }
  return { on, problems };
}

describe('the switch timeline', () => {
  it('every switch names the release it entered (or none, for a posting) and, when reverted, a later one it left', () => {
    for (const p of PATCHES) {
      if (p.since === null) { expect('until' in p, p.name).toBe(false); continue; }
      expect(compareReleases(p.since, p.since), p.name).toBe(0);
      if ('until' in p) expect(compareReleases(p.until, p.since), p.name).toBeGreaterThan(0);
    }
  });

  it.each(PROFILES.map((p) => [p.name, p] as const))('%s: its switches are its base release\'s, plus only what it declares', (_, p) => {
    const { on, problems } = derive(p);
    const differences = PATCHES.filter((x) => p.patches[x.name] !== on.has(x.name)).map((x) =>
      `${x.name} is ${p.patches[x.name] ? 'on' : 'off'}, but mainline ${p.base} ${on.has(x.name) ? 'has' : 'does not have'} it ` +
      `(${x.since === null ? 'a posting' : `v${x.since}${'until' in x ? ` to v${x.until}` : ' on'}`}), and no posting or backport says so`);
    expect([...problems, ...differences]).toEqual([]);
  });

  it('a mainline profile is named by its release; a posting\'s or stable tree\'s by its base and what it adds', () => {
    for (const p of PROFILES) {
      if (p.postings) expect(p.name.startsWith(`${p.base}-`), p.name).toBe(true);
      else if (p.backports) expect(p.name.startsWith(`${p.base}.`), p.name).toBe(true);
      else expect(p.name).toBe(p.base);
    }
  });

  it('a posting profile turns on only never-merged switches', () => {
    for (const p of PROFILES) for (const n of p.postings ?? []) expect(byName.get(n)?.since, `${p.name}: ${n}`).toBeNull();
  });
});
