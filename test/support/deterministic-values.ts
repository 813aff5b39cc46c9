/**
 * Deterministic values in [-0.5, 0.5) from a linear congruential generator, so two tfjs backends
 * can be fed identical inputs.
 */
export function values(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let state = seed >>> 0;
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 32 - 0.5;
  }
  return out;
}
