/**
 * The backends a run may ask for, apart from the code that loads them: flags and configs name a
 * backend without paying for TensorFlow.js, which only `selectBackend` imports.
 */

/**
 * The values `--backend` accepts.
 *
 * @example
 * Flags.string({ options: [...BACKEND_CHOICES], default: 'auto' });
 */
export const BACKEND_CHOICES = ['auto', 'node', 'wasm', 'cpu'] as const;

/**
 * Which backend to train on: `auto` takes the fastest that loads (tfjs-node, then wasm, then cpu).
 *
 * @example
 * const choice: BackendChoice = 'wasm';
 */
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
