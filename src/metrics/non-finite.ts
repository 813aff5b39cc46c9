/**
 * JSON has no NaN or ±Infinity (`JSON.stringify` turns them into `null`), yet a diverged round
 * measures exactly those. Run files write them as the strings `"NaN"`, `"Infinity"` and
 * `"-Infinity"`; the reader's schema turns them back into numbers (docs/recorded-runs.md).
 */
const NON_FINITE: Readonly<Record<string, number>> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY };

/**
 * A `JSON.stringify` replacer that writes non-finite numbers as strings.
 *
 * @example
 * JSON.stringify({ loss: NaN }, encodeNonFinite); // '{"loss":"NaN"}'
 */
export function encodeNonFinite(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}

/**
 * The number a non-finite string stands for; any other value unchanged.
 *
 * @example
 * decodeNonFinite('NaN'); // NaN
 * decodeNonFinite(0.5); // 0.5
 */
export function decodeNonFinite(value: unknown): unknown {
  return typeof value === 'string' && Object.hasOwn(NON_FINITE, value) ? NON_FINITE[value] : value;
}
