import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RoundRecord } from '../../src/metrics/round-record.js';
import { readRun } from '../../src/metrics/read-run.js';
import type { RunHeader } from '../../src/metrics/run-file-schema.js';
import { runHeader } from '../support/run-header.js';
import { RunWriter } from '../../src/metrics/run-writer.js';

const header: RunHeader = runHeader(
  [
    { name: 'small', parameters: 10, weightLayers: 6, bytesPerTransfer: 40 },
    { name: 'large', parameters: 90, weightLayers: 12, bytesPerTransfer: 360 },
  ],
  { rounds: 3 },
);

function record(round: number, accuracy: number, gear = 0): RoundRecord {
  const bytes = gear === 0 ? 120 : 1080;
  return {
    round,
    gear,
    gearName: gear === 0 ? 'small' : 'large',
    parameters: gear === 0 ? 10 : 90,
    validation: { accuracy, loss: 1 },
    test: { accuracy, loss: 1 },
    bytes: { sent: bytes, received: bytes, sentTotal: bytes * round, receivedTotal: bytes * round },
    seconds: { training: 1, aggregation: 0, distillation: 0, evaluation: 0, round: 1, total: round },
  };
}

function tempFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'fedgear-run-')), 'run.jsonl');
}

describe('run files', () => {
  it('read back exactly what was written', () => {
    const path = tempFile();
    const writer = RunWriter.create(path, header);
    writer.round(record(1, 0.2));
    writer.switch({ kind: 'switch', afterRound: 1, from: 0, to: 1, reason: 'test', inherited: { accuracy: 0.2, loss: 2 } });
    writer.round(record(2, 0.3, 1));
    writer.end({ kind: 'end', status: 'completed' });
    const run = readRun(path);
    expect(run.header).toEqual(header);
    expect(run.rounds).toEqual([record(1, 0.2), record(2, 0.3, 1)]);
    expect(run.switches.map((s) => s.afterRound)).toEqual([1]);
    expect(run.end?.status).toBe('completed');
  });

  it('keep every finished round when the writer never closes the file', () => {
    const path = tempFile();
    const writer = RunWriter.create(path, header);
    writer.round(record(1, 0.2));
    writer.round(record(2, 0.25));
    appendFileSync(path, '{"kind":"round","rou'); // killed mid-write
    const run = readRun(path);
    expect(run.rounds.map((r) => r.round)).toEqual([1, 2]);
    expect(run.end).toBeUndefined();
  });

  it('name the file, line and field of a bad value', () => {
    const path = tempFile();
    RunWriter.create(path, header).round({ ...record(1, 0.2), validation: { accuracy: 1.5, loss: 1 } });
    expect(() => readRun(path)).toThrow(`${path}:2: validation.accuracy`);
    expect(() => readRun(path)).toThrow('but got 1.5.');
  });

  it('refuse a file that is not a fedgear run', () => {
    const path = tempFile();
    writeFileSync(path, `${JSON.stringify({ ...header, format: 'other' })}\n`);
    expect(() => readRun(path)).toThrow(`${path}:1: format`);
  });

  it('refuse rounds that skip', () => {
    const path = tempFile();
    const writer = RunWriter.create(path, header);
    writer.round(record(1, 0.2));
    writer.round(record(3, 0.2));
    expect(() => readRun(path)).toThrow(`${path}:3: round must be 2 (rounds are consecutive), but got 3.`);
  });

  it('round-trip the NaN and Infinity of a diverged round, written as strings JSON can hold', () => {
    const path = tempFile();
    const diverged = { ...record(1, 0.1), validation: { accuracy: 0.1, loss: Number.NaN }, test: { accuracy: 0.1, loss: Number.POSITIVE_INFINITY } };
    const writer = RunWriter.create(path, header);
    writer.round(diverged);
    writer.switch({ kind: 'switch', afterRound: 1, from: 0, to: 1, reason: 'test', inherited: { accuracy: 0.1, loss: Number.NaN } });
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('"validation":{"accuracy":0.1,"loss":"NaN"}');
    expect(text).toContain('"test":{"accuracy":0.1,"loss":"Infinity"}');
    const run = readRun(path);
    expect(run.rounds).toEqual([diverged]);
    expect(run.switches[0]!.inherited!.loss).toBeNaN();
  });

  it('name the field and what it accepts when a metric is null', () => {
    const path = tempFile();
    RunWriter.create(path, header);
    appendFileSync(path, `${JSON.stringify({ kind: 'round', ...record(1, 0.2), validation: { accuracy: 0.2, loss: null } })}\n`);
    expect(() => readRun(path)).toThrow(`${path}:2: validation.loss must be a number >= 0, "NaN" or "Infinity", but got null.`);
  });

  it('refuse broken JSON in the middle of a file', () => {
    const path = tempFile();
    RunWriter.create(path, header);
    appendFileSync(path, 'not json\n');
    appendFileSync(path, `${JSON.stringify({ kind: 'round', ...record(1, 0.2) })}\n`);
    expect(() => readRun(path)).toThrow(`${path}:2: each line must be one JSON object`);
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(4);
  });
});
