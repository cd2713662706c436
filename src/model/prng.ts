/**
 * A tiny seeded PRNG (mulberry32: 32-bit state, period 2^32). Plenty for weight
 * initialisation and fuzz tests, and reproducible across engines, unlike Math.random.
 */
export type Prng = () => number;

/** A generator of uniform numbers in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): Prng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fills `out` with draws from U(-bound, bound). */
export function fillUniform<T extends Float32Array | Float64Array>(rng: Prng, out: T, bound: number): T {
  for (let i = 0; i < out.length; i++) out[i] = (2 * rng() - 1) * bound;
  return out;
}
