// cli/free-cores.ts: a free run is warned of exactly when its CPUs outnumber the host's cores.
import { describe, expect, it } from 'vitest';
import { freeCoresWarning } from '../../../src/cli/free-cores.js';

describe('freeCoresWarning', () => {
  it('free mode with more CPUs than cores: names both counts and what to use instead', () => {
    expect(freeCoresWarning('free', 2, 1)).toBe('free mode ran 2 CPUs on 1 core: they could not all run at once, ' +
      'and a race needs them to, so finding nothing here says little (--mode pct or verify schedules the CPUs instead)');
    expect(freeCoresWarning('free', 4, 2)).toMatch(/^free mode ran 4 CPUs on 2 cores: /);
  });

  it('none when every CPU has a core, nor in a mode that schedules the CPUs one at a time', () => {
    expect(freeCoresWarning('free', 2, 2)).toBeNull();
    expect(freeCoresWarning('free', 1, 1)).toBeNull();
    for (const mode of ['pct', 'random', 'exhaustive', 'verify', 'replay']) expect(freeCoresWarning(mode, 4, 1)).toBeNull();
  });
});
