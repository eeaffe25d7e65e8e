// Profiles of stable (LTS) trees at named point releases: a mainline base plus the fixes and
// reverts that were backported to it, each with the stable commit or review mail it was read from.
import type { Profile } from './profile.js';

export const STABLE_PROFILES: readonly Profile[] = [];
