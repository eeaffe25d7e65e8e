// The argument checks of the public `kernel` go by parameter name: they must survive a bundler's
// renaming (the CPU worker is one esbuild bundle, where `folio` may become `folio2`).
import { describe, expect, it } from 'vitest';
import { parameterNames } from '../../../src/kernel/checked.js';

describe('parameterNames', () => {
  it('reads the names of the compiled source, defaults and all', () => {
    function f(cpu: unknown, folio: unknown, nr = 1): unknown { return [cpu, folio, nr]; }
    expect(parameterNames(f)).toEqual(['cpu', 'folio', 'nr']);
  });

  it('drops the number a bundler adds to a renamed parameter', () => {
    // as esbuild emits it when another module of the bundle also has a `folio` or an `addr`
    const renamed = new Function('cpu', 'folio2', 'addr3', 'return 0') as (...a: never[]) => unknown;
    expect(parameterNames(renamed)).toEqual(['cpu', 'folio', 'addr']);
  });
});
