/**
 * A 32-bit seed for one sub-task (a client in a round, a gear's initial weights, …) derived from
 * the run's seed, so every random choice in a run is reproducible and independent of the others.
 * Uses the murmur3 finaliser to mix the parts.
 *
 * @example
 * const seed = deriveSeed(runSeed, 'client', round, client);
 */
export function deriveSeed(seed: number, ...parts: (string | number)[]): number {
  let h = seed >>> 0;
  for (const part of parts) {
    const text = String(part);
    for (let i = 0; i < text.length; i++) h = mix(h ^ text.charCodeAt(i));
    h = mix(h ^ 0x9e3779b9);
  }
  return h;
}

function mix(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
