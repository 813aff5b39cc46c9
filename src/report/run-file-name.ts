import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { RunConfig } from '../engine/run-config.js';

/**
 * Where `fedgear run` records a run when not told: a name that says what ran and when, so runs
 * never overwrite each other.
 *
 * @example
 * defaultRunFile('runs', config); // "runs/2026-11-26T10-00-00-cifar10-small-fixed-seed0.jsonl"
 */
export function defaultRunFile(directory: string, config: RunConfig, now = new Date()): string {
  const stamp = now.toISOString().replace(/:/g, '-').replace(/\..*$/, '');
  return join(directory, `${stamp}-${config.dataset}-${config.preset}-${config.policy.name}-seed${config.seed}.jsonl`);
}

/**
 * Creates an empty run file under {@link defaultRunFile}'s name, or, when that name is taken (two
 * runs started in the same second), the first free `…-2.jsonl`, `…-3.jsonl`: created exclusively,
 * so no run ever truncates another's recording. Returns its path.
 *
 * @example
 * reserveRunFile('runs', config); // "runs/2026-11-26T10-00-00-cifar10-small-fixed-seed0-2.jsonl" if the plain name was taken
 */
export function reserveRunFile(directory: string, config: RunConfig, now = new Date()): string {
  const base = defaultRunFile(directory, config, now).replace(/\.jsonl$/, '');
  for (let copy = 1; ; copy++) {
    const path = copy === 1 ? `${base}.jsonl` : `${base}-${copy}.jsonl`;
    try {
      closeSync(openSync(path, 'wx'));
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
