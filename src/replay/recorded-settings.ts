import type { RecordedData } from '../engine/recorded-data.js';
import type { RunConfig } from '../engine/run-config.js';
import { FileError } from '../metrics/file-error.js';
import { readRun, type RecordedRun } from '../metrics/read-run.js';

/**
 * Config fields that may differ from a recording without changing it: worker threads (training
 * depends on the seed and the round only), what a sweep sets per job (start gear, policy), and
 * the objective a policy is told (a sweep's jobs follow fixed schedules).
 */
const SAME_RESULTS = new Set(['workers', 'start', 'policy', 'objective']);

/**
 * How `wanted` differs from a recorded config in anything that changes results, one phrase per
 * field in config order, e.g. `['seed is 8 (recorded 7)']`.
 *
 * @example
 * settingDifferences({ ...config, seed: 7 }, { ...config, seed: 8 }); // ['seed is 8 (recorded 7)']
 */
export function settingDifferences(recorded: Readonly<Record<string, unknown>>, wanted: RunConfig): string[] {
  const fields = [...new Set([...Object.keys(wanted), ...Object.keys(recorded)])].filter((field) => !SAME_RESULTS.has(field));
  return fields
    .filter((field) => JSON.stringify(recorded[field]) !== JSON.stringify((wanted as unknown as Record<string, unknown>)[field]))
    .map((field) => `${field} is ${show((wanted as unknown as Record<string, unknown>)[field])} (recorded ${show(recorded[field])})`);
}

/**
 * Refuses to continue or skip a recorded run with settings that would give other results: a
 * sweep rerun with other flags would otherwise keep rounds trained one way under a header (or a
 * manifest) saying another. A file whose header cannot be read is left to the caller.
 *
 * @example
 * checkRecordedSettings('bundles/a/small.jsonl', config); // throws "…small.jsonl:1: the sweep's settings must be the recorded ones, but seed is 8 (recorded 7). …"
 */
export function checkRecordedSettings(path: string, wanted: RunConfig): void {
  let recorded: Readonly<Record<string, unknown>>;
  try {
    recorded = readRun(path).header.config;
  } catch {
    return;
  }
  const differences = settingDifferences(recorded, wanted);
  if (differences.length === 0) return;
  const listed = differences.length === 1 ? differences[0] : `${differences.slice(0, -1).join(', ')} and ${differences.at(-1)}`;
  throw new FileError(
    `${path}:1: the sweep's settings must be the recorded ones, but ${listed}. Rerun it with the flags it was recorded with, or add --force-restart to record the bundle again from scratch.`,
    { file: path, line: 1, field: 'config' },
  );
}

function show(value: unknown): string {
  return value === undefined ? 'unset' : typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The data the first of `paths` to record it was made with, for the runs that continue them
 * (`checkRecordedData` refuses other data before any training). Files that are missing, cannot be
 * read, or come from before headers recorded data are passed over.
 *
 * @example
 * const recorded = recordedDataOf(['bundle/small.jsonl', 'bundle/large.jsonl'], 'Use the recorded data.');
 */
export function recordedDataOf(paths: readonly string[], remedy: string): RecordedData | undefined {
  for (const path of paths) {
    let data: RecordedRun['header']['data'];
    try {
      data = readRun(path).header.data;
    } catch {
      continue;
    }
    if (data !== undefined) return { file: path, data, remedy };
  }
  return undefined;
}
