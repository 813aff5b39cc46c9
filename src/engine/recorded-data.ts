import { dataDifferences, type DataDigest } from '../data/data-digest.js';
import { FileError } from '../metrics/file-error.js';

/**
 * The data a recording was made with, which a run continuing it must train on too.
 *
 * @example
 * const recorded: RecordedData = { file: 'runs/a.jsonl', data: header.data, remedy: 'Pass the data it was recorded with.' };
 */
export interface RecordedData {
  /** The run file whose header recorded `data`. */
  readonly file: string;
  readonly data: DataDigest;
  /** What the user can do about other data, appended to the error. */
  readonly remedy: string;
}

/**
 * Refuses to continue a recording on other data than it was recorded with, naming each file
 * that differs: its rounds and the new ones would otherwise come from two data sets under one header.
 *
 * @example
 * checkRecordedData({ file: 'runs/a.jsonl', data: header.data, remedy }, digest);
 * // throws "runs/a.jsonl:1: the data must be the recorded data, but data_batch_1.bin has 9000 images (recorded 10000). …"
 */
export function checkRecordedData(recorded: RecordedData, used: DataDigest): void {
  const differences = dataDifferences(recorded.data, used);
  if (differences.length === 0) return;
  const listed = differences.length === 1 ? differences[0] : `${differences.slice(0, -1).join(', ')} and ${differences.at(-1)}`;
  throw new FileError(`${recorded.file}:1: the data must be the recorded data, but ${listed}. ${recorded.remedy}`, { file: recorded.file, line: 1, field: 'data' });
}
