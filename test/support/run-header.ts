import { RUN_FILE_FORMAT, RUN_FILE_VERSION, type RunHeader } from '../../src/metrics/run-file-schema.js';

/** A run file header for made-up runs: a fixed date, backend and version, with the given ladder and config. */
export function runHeader(ladder: RunHeader['ladder'], config: RunHeader['config']): RunHeader {
  return {
    kind: 'header',
    format: RUN_FILE_FORMAT,
    version: RUN_FILE_VERSION,
    createdAt: '2026-11-26T00:00:00.000Z',
    backend: 'wasm',
    versions: { fedgear: '0.1.0' },
    ladder,
    config,
  };
}
