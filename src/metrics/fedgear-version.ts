import { createRequire } from 'node:module';

/**
 * The version of fedgear itself, from its package.json: recorded in every run header.
 *
 * @example
 * fedgearVersion(); // '0.1.0'
 */
export function fedgearVersion(): string {
  // Compiled to dist/src/metrics/: the package root is three levels up.
  const own = createRequire(import.meta.url)('../../../package.json') as { version: string };
  return own.version;
}
