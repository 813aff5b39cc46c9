import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readRun } from '../metrics/read-run.js';
import type { RunHeader } from '../metrics/run-file-schema.js';
import { readCheckpoint, writeCheckpoint } from '../replay/checkpoint.js';
import type { ResumePoint } from './federation.js';

/**
 * Where a run keeps the global weights after its latest round, so a killed run can resume:
 * `<run file without .jsonl>.state/after-<round>.f32`.
 *
 * @example
 * checkpointDir('runs/a.jsonl'); // "runs/a.state"
 */
export function checkpointDir(runFile: string): string {
  return `${runFile.replace(/\.jsonl$/, '')}.state`;
}

/**
 * Saves the weights after `round` and deletes older checkpoints (they are never needed again:
 * a run resumes from its latest round).
 *
 * @example
 * saveCheckpoint('runs/a.state', 3, weights); // runs/a.state/after-3.f32
 */
export function saveCheckpoint(directory: string, round: number, weights: Float32Array): void {
  mkdirSync(directory, { recursive: true });
  writeCheckpoint(join(directory, `after-${round}.f32`), weights);
  for (const name of readdirSync(directory)) {
    const older = /^after-(\d+)\.f32(\.sha256)?$/.exec(name);
    if (older !== null && Number(older[1]) < round) rmSync(join(directory, name), { force: true });
  }
}

/**
 * Where a killed run continues: its recorded rounds up to the latest one with a sound checkpoint
 * (size and checksum verified), the switches among them, and that checkpoint's weights; with the
 * header it was recorded with.
 *
 * @example
 * const { header, resume } = resumePointOf('runs/a.jsonl');
 */
export function resumePointOf(runFile: string): { readonly header: RunHeader; readonly resume: ResumePoint } {
  const recorded = readRun(runFile);
  const directory = checkpointDir(runFile);
  for (let index = recorded.rounds.length - 1; index >= 0; index--) {
    const { round, gear } = recorded.rounds[index]!;
    const path = join(directory, `after-${round}.f32`);
    if (!existsSync(path)) continue;
    const parameters = recorded.header.ladder[gear]?.parameters ?? 0;
    const read = readCheckpoint(path, { parameters, what: `gear ${gear} after round ${round}` });
    if ('damaged' in read) throw new Error(`${path} must be a sound checkpoint to resume ${runFile}, but it is damaged (${read.damaged}).`);
    return {
      header: recorded.header,
      resume: {
        rounds: recorded.rounds.slice(0, index + 1),
        switches: recorded.switches.filter((event) => event.afterRound < round),
        weights: read.weights,
      },
    };
  }
  throw new Error(`${runFile} must have a checkpoint of one of its rounds in ${directory}/ to resume, but has none.`);
}

