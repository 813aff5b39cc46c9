import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { encodeNonFinite } from './non-finite.js';
import type { RoundRecord } from './round-record.js';
import type { DecisionEvent, RunEnd, RunHeader, SwitchEvent } from './run-file-schema.js';

/**
 * Writes a run as JSONL, one line per event, each appended and handed to the OS before the next
 * round starts: a run killed at any moment keeps every finished round. NaN and ±Infinity (a
 * diverged round) are written as the strings "NaN", "Infinity", "-Infinity".
 *
 * @example
 * const writer = RunWriter.create('runs/a.jsonl', header);
 * writer.round(record);
 * writer.end({ kind: 'end', status: 'completed' });
 */
export class RunWriter {
  private constructor(readonly path: string) {}

  /** Creates (or truncates) the file and writes the header line. */
  static create(path: string, header: RunHeader): RunWriter {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${JSON.stringify(header)}\n`);
    return new RunWriter(path);
  }

  /** Appends one round record. */
  round(record: RoundRecord): void {
    this.line({ kind: 'round', ...record });
  }

  /** Appends the policy's decision after a round. */
  decision(event: DecisionEvent): void {
    this.line(event);
  }

  /** Appends a gear switch. */
  switch(event: SwitchEvent): void {
    this.line(event);
  }

  /** Appends the closing line. */
  end(event: RunEnd): void {
    this.line(event);
  }

  private line(value: object): void {
    appendFileSync(this.path, `${JSON.stringify(value, encodeNonFinite)}\n`);
  }
}
