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
