// xoshiro128** (Blackman & Vigna) on four 32-bit words that may live in the machine, so whichever
// CPU holds the baton advances the same generator. No ambient randomness is ever used.

/** FNV-1a of a seed's text: seeds are strings ("1", "deadbeef") printed exactly as given. */
export function hashSeed(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/** splitmix32 step: spreads (seed, stream) pairs into well-mixed state words. */
function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) | 0;
}

/** Seeds the 4 words at `at` from a seed hash and stream numbers (iteration, cpu, ...). */
export function seedPrng(s: Int32Array, at: number, seedHash: number, a: number, b: number): void {
  let x = seedHash ^ Math.imul(a + 1, 0x27d4eb2d) ^ Math.imul(b + 1, 0x165667b1);
  for (let i = 0; i < 4; i++) {
    x = splitmix32(x + i);
    Atomics.store(s, at + i, x === 0 ? 0x1234567 : x);
  }
}

/** Next 32-bit unsigned value; advances the state at `at`. */
export function nextU32(s: Int32Array, at: number): number {
  const s0 = Atomics.load(s, at), s1 = Atomics.load(s, at + 1), s2 = Atomics.load(s, at + 2), s3 = Atomics.load(s, at + 3);
  const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
  const t = s1 << 9;
  let n2 = s2 ^ s0;
  let n3 = s3 ^ s1;
  const n1 = s1 ^ n2;
  const n0 = s0 ^ n3;
  n2 ^= t;
  n3 = rotl(n3, 11);
  Atomics.store(s, at, n0);
  Atomics.store(s, at + 1, n1);
  Atomics.store(s, at + 2, n2);
  Atomics.store(s, at + 3, n3);
  return r;
}

/** Uniform integer in [0, n). */
export function nextBelow(s: Int32Array, at: number, n: number): number {
  return Math.floor((nextU32(s, at) / 4294967296) * n);
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
