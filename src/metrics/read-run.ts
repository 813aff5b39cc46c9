import { readFileSync } from 'node:fs';
import type * as z from '../vendor/zod.js';
import { FileError } from './file-error.js';
import { quoteValue } from './quote-value.js';
import type { RoundRecord } from './round-record.js';
import { checkLine } from './schema-issue.js';
import { bodyLine, headerLine, RUN_FILE_FORMAT, type DecisionEvent, type RunEnd, type RunHeader, type SwitchEvent } from './run-file-schema.js';

/** A run file, parsed and checked. */
export interface RecordedRun {
  readonly path: string;
  readonly header: RunHeader;
  readonly rounds: readonly RoundRecord[];
  readonly switches: readonly SwitchEvent[];
  /** The live policy's decisions, one per round (absent in files that were not written live). */
  readonly decisions: readonly DecisionEvent[];
  /** Absent when the run was killed before it could close its file. */
  readonly end: RunEnd | undefined;
}

/**
 * Reads a JSONL run file written by `fedgear run` or `fedgear sweep`. Every problem is reported
 * with the file, the line and the field, e.g. `runs/a.jsonl:7: validation.accuracy must be <= 1,
 * but got 1.5.`. A half-written last line (a run killed mid-write) is ignored; anywhere else it
 * is an error.
 *
 * @example
 * const { header, rounds } = readRun('runs/a.jsonl');
 */
export function readRun(path: string): RecordedRun {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new FileError(`${path} must be a readable run file, but reading it failed: ${(error as Error).message}`, { file: path });
  }
  // Editors on Windows may save a byte order mark first: it is not part of the JSON.
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const first = lines[0];
  if (first === undefined) throw new FileError(`${path}:1: a run file must start with a header line, but the file is empty.`, { file: path, line: 1 });
  const header = check(headerLine, parse(path, 1, first), path, 1);
  const rounds: RoundRecord[] = [];
  const switches: SwitchEvent[] = [];
  const decisions: DecisionEvent[] = [];
  let end: RunEnd | undefined;
  let endLine: number | undefined;
  for (let index = 1; index < lines.length; index++) {
    const number = index + 1;
    const line = lines[index]!;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      if (index === lines.length - 1 && !text.endsWith('\n')) break;
      throw new FileError(`${path}:${number}: each line must be one JSON object, but got ${quoteValue(line)}.`, { file: path, line: number });
    }
    const event = check(bodyLine, value, path, number);
    if (endLine !== undefined) {
      throw new FileError(`${path}:${number}: a run file must end with its end line (line ${endLine}), but got a ${event.kind} line after it.`, { file: path, line: number });
    }
    if (event.kind === 'round') {
      const { kind: _kind, ...record } = event;
      const expected = (rounds.at(-1)?.round ?? 0) + 1;
      if (record.round !== expected) {
        throw new FileError(`${path}:${number}: round must be ${expected} (rounds are consecutive), but got ${record.round}.`, { file: path, line: number, field: 'round' });
      }
      rounds.push(record);
    } else if (event.kind === 'switch') {
      switches.push(event);
    } else if (event.kind === 'decision') {
      decisions.push(event);
    } else {
      end = event;
      endLine = number;
    }
  }
  return { path, header, rounds, switches, decisions, end };
}

function parse(path: string, line: number, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new FileError(`${path}:${line}: the header must be one JSON object, but got ${quoteValue(text)}.`, { file: path, line });
  }
}

function check<T extends z.ZodType>(schema: T, value: unknown, path: string, line: number): z.infer<T> {
  const checked = checkLine(schema, value, { format: `expected "${RUN_FILE_FORMAT}"` });
  if (checked.ok) return checked.value;
  const { field, message } = checked.issue;
  throw new FileError(`${path}:${line}: ${message}`, { file: path, line, ...(field === 'line' ? {} : { field }) });
}
