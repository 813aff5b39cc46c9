import { appendFileSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { encodeNonFinite } from './non-finite.js';
import type { RoundRecord } from './round-record.js';
import type { DecisionEvent, RunEnd, RunHeader, SwitchEvent } from './run-file-schema.js';

/**
 * Writes a run as JSONL, one line per event, each appended and handed to the OS before the next
 * round starts: a run killed at any moment keeps every finished round. NaN and ±Infinity (a
 * diverged round) are written as the strings "NaN", "Infinity", "-Infinity".
 *
 * A recording already at `path` (an interrupted run being resumed or restarted) is not touched
 * until {@link RunWriter.publish}: lines go to `<path>.part` until then, so a run that fails before
 * it has anything new leaves the old recording whole.
 *
 * @example
 * const writer = RunWriter.create('runs/a.jsonl', header);
 * writer.round(record);
 * writer.end({ kind: 'end', status: 'completed' });
 */
export class RunWriter {
  private published: boolean;

  private constructor(
    readonly path: string,
    private target: string,
  ) {
    this.published = target === path;
  }

  /** Writes the header line: into `path`, or beside it while `path` holds an earlier recording. */
  static create(path: string, header: RunHeader): RunWriter {
    mkdirSync(dirname(path), { recursive: true });
    const holdsRecording = (statSync(path, { throwIfNoEntry: false })?.size ?? 0) > 0;
    const target = holdsRecording ? `${path}.part` : path;
    writeFileSync(target, `${JSON.stringify(header)}\n`);
    return new RunWriter(path, target);
  }

  /** Whether the lines written so far are in `path` (rather than still beside it). */
  get isPublished(): boolean {
    return this.published;
  }

  /** Replaces the earlier recording at `path` with this one: call once it holds something new. */
  publish(): void {
    if (this.published) return;
    renameSync(this.target, this.path);
    this.target = this.path;
    this.published = true;
  }

  /** Drops an unpublished recording, leaving the earlier one at `path` as it was. */
  discard(): void {
    if (!this.published) rmSync(this.target, { force: true });
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
    appendFileSync(this.target, `${JSON.stringify(value, encodeNonFinite)}\n`);
  }
}
