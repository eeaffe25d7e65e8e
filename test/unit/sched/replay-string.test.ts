import { describe, expect, it } from 'vitest';
import { decodeReplayString, encodeReplayString, isReplayString } from '../../../src/repro/replay-string.js';
import { resolveProfile } from '../../../src/kernel/profile.js';
import type { FailureFile } from '../../../src/repro/failure.js';

function file(over: Partial<FailureFile> = {}): FailureFile {
  return {
    foliorace: 1, scenario: 'gup-longterm-vs-activate', kernel: '6.10', patches: { ...resolveProfile('6.10').patches },
    mode: 'free', seed: '7', cpus: 2, iteration: 3, schedule: '1x4 0x2 1x9 0x59', kind: 'forbidden',
    outcome: 'pin-failed-batch-ref', version: '0.1.0', fingerprint: 'a0955555d1a9-7f0505ef', ...over,
  };
}

describe('replay strings', () => {
  it('round-trip: every field a replay needs comes back, the shrunk schedule preferred', () => {
    const f = file({ shrunk: { schedule: '1x13 0x60', preemptions: 0, steps: 73, fromPreemptions: 1, fromSteps: 74 } });
    const text = encodeReplayString(f, resolveProfile('6.10').patches);
    expect(isReplayString(text)).toBe(true);
    expect(text).not.toMatch(/\s/);
    expect(decodeReplayString(text)).toEqual({
      version: '0.1.0', fingerprint: 'a0955555d1a9-7f0505ef', scenario: 'gup-longterm-vs-activate', kernel: '6.10',
      patches: {}, cpus: 2, iteration: 3, mode: 'free', kind: 'forbidden', outcome: 'pin-failed-batch-ref', schedule: '1x13 0x60',
      memory: 'sc',
    });
  });

  it('a tso run adds a 13th field; a string without it is sc, as every string before the field', () => {
    const sc = encodeReplayString(file(), resolveProfile('6.10').patches);
    const tso = encodeReplayString(file({ memory: 'tso', schedule: '0x3 1x3 2x2 3x2' }), resolveProfile('6.10').patches);
    expect(sc.split(':')).toHaveLength(12);
    expect(tso.split(':')).toHaveLength(13);
    expect(tso).toMatch(/:0x3\.1x3\.2x2\.3x2:tso$/);
    expect(decodeReplayString(tso).memory).toBe('tso');
    expect(decodeReplayString(sc).memory).toBe('sc');
    expect(() => decodeReplayString(`${sc}:arm64`)).toThrow(/bad memory model "arm64"/);
  });

  it('holds only the switches that differ from the profile, and any character in a path or an outcome', () => {
    const base = resolveProfile('6.10').patches;
    const patches = { ...base, 'gup-always-drain': true, 'folio-batch-31': false };
    const f = file({ patches, scenario: '/tmp/my dir/a:b%.ts', kind: 'deadlock', outcome: 'deadlock: CPU0 in spin_lock_wait, CPU1 in x' });
    const d = decodeReplayString(encodeReplayString(f, base));
    expect(d.patches).toEqual({ 'folio-batch-31': false, 'gup-always-drain': true });
    expect(d.scenario).toBe('/tmp/my dir/a:b%.ts');
    expect(d.outcome).toBe('deadlock: CPU0 in spin_lock_wait, CPU1 in x');
    expect(d.schedule).toBe(f.schedule);
    expect({ ...resolveProfile(d.kernel, d.patches).patches }).toEqual(patches);
  });

  it('carry the patch file a run applied, by name, content hash and path (a 13th field)', () => {
    const patchFile = { name: 'lru-clear-at-enqueue', hash: '0123456789ab', path: '/tmp/my dir/fix:1.ts' };
    const text = encodeReplayString(file({ patchFile }), resolveProfile('6.10').patches);
    expect(text.split(':')).toHaveLength(13);
    expect(decodeReplayString(text).patchFile).toEqual(patchFile);
    expect(decodeReplayString(encodeReplayString(file(), resolveProfile('6.10').patches)).patchFile).toBeUndefined();
  });

  it('rejects what is not one, saying why', () => {
    expect(isReplayString('foliorace-failures/x.json')).toBe(false);
    const good = encodeReplayString(file(), resolveProfile('6.10').patches);
    expect(() => decodeReplayString(good.replace(/:[^:]*$/, ':1x'))).toThrow(/bad schedule/);
    expect(() => decodeReplayString(good.replace(':free:', ':fast:'))).toThrow(/bad mode/);
    expect(() => decodeReplayString(`${good}:extra:more:still`)).toThrow(/12 ':'-separated fields, one more with a patch file, one more with a memory model/);
    expect(() => decodeReplayString(`${good}:extra`)).toThrow(/bad memory model "extra"/);
    expect(() => decodeReplayString(`${good}:x@y`)).toThrow(/bad patch file "x@y"/);
    expect(() => decodeReplayString(good.replace(':2:3:', ':two:3:'))).toThrow(/bad CPU count/);
  });
});
