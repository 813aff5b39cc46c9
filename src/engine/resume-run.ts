import { quoteValue } from '../metrics/quote-value.js';
import { readRun } from '../metrics/read-run.js';
import { loadPolicy } from '../policy/load-policy.js';
import type { PolicyPlugin } from '../policy/plugin.js';
import { buildRunConfig } from './build-run-config.js';
import type { ResumePoint } from './federation.js';
import type { RecordedData } from './recorded-data.js';
import { resumePointOf } from './run-checkpoints.js';
import type { RunConfig } from './run-config.js';

/** What continuing a run file needs: its settings, its policy, and where to continue from. */
export interface RunToResume {
  readonly config: RunConfig;
  readonly plugin: PolicyPlugin;
  readonly resume: ResumePoint;
  /** The data the file was recorded with (absent in files from before headers recorded it). */
  readonly recordedData?: RecordedData;
}

/**
 * Reads a stopped, failed or killed run file and what continuing it takes: the config and the
 * policy of its header, and its latest sound checkpoint (see `resumePointOf`). Every seed depends
 * only on the round, so the continued run records what an uninterrupted one would have.
 *
 * @example
 * const { config, plugin, resume, recordedData } = await runToResume('runs/a.jsonl');
 * stagedRun({ config, plugin, outFile: 'runs/a.jsonl', resume, recordedData, keepCheckpoints: true });
 */
export async function runToResume(file: string): Promise<RunToResume> {
  if (readRun(file).end?.status === 'completed') throw new Error(`--resume must name an unfinished run, but ${file} completed all its rounds.`);
  const { header, resume } = resumePointOf(file);
  const recorded = header.config as Partial<RunConfig> & { preset?: unknown };
  if (typeof recorded.preset !== 'string') throw new Error(`${file}:1: config.preset must be a preset name, but got ${quoteValue(recorded.preset)}.`);
  const config = buildRunConfig(recorded.preset, recorded);
  const plugin = await loadPolicy(config.policy.spec ?? config.policy.name);
  const remedy = 'Resume it with the data it was recorded with (--data-dir or FEDGEAR_DATA_DIR).';
  return { config, plugin, resume, ...(header.data === undefined ? {} : { recordedData: { file, data: header.data, remedy } }) };
}
