import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RunConfig } from '../../src/engine/run-config.js';
import { readRun } from '../../src/metrics/read-run.js';
import { acceptJobFiles } from '../../src/sweep/accept-job-files.js';
import type { SweepJob } from '../../src/sweep/sweep-job.js';

/** A recorded bundle's small trajectory: a completed run with a real config. */
const BUNDLE = fileURLToPath(new URL('../../../test/fixtures/bundles/synthetic-easy-seed0/', import.meta.url));
const small = readFileSync(join(BUNDLE, 'small.jsonl'));
const config = readRun(join(BUNDLE, 'small.jsonl')).header.config as unknown as RunConfig;
const job: SweepJob = { kind: 'trajectory', file: 'small.jsonl', start: 'small' };
const weights = new Uint8Array(new Float32Array([1, 2, 3]).buffer);
const sum = new TextEncoder().encode(`${createHash('sha256').update(weights).digest('hex')}  small-after-2.f32\n`);

const bundle = () => mkdtempSync(join(tmpdir(), 'fedgear-accept-'));
const text = (value: string) => new TextEncoder().encode(value);

describe('acceptJobFiles', () => {
  it('writes a sound result into the bundle: the run file and its checkpoints, nothing left aside', () => {
    const directory = bundle();
    acceptJobFiles(job, new Map([['small.jsonl', small], ['state/small-after-2.f32', weights], ['state/small-after-2.f32.sha256', sum]]), directory, config);
    expect(readFileSync(join(directory, 'small.jsonl')).equals(small)).toBe(true);
    expect(readFileSync(join(directory, 'state/small-after-2.f32')).equals(weights)).toBe(true);
    expect(readdirSync(directory).sort()).toEqual(['small.jsonl', 'state']);
  });

  it('refuses a path the job does not write, outside the bundle included', () => {
    for (const path of ['../small.jsonl', 'large.jsonl', 'state/large-after-2.f32', 'manifest.json']) {
      expect(() => acceptJobFiles(job, new Map([['small.jsonl', small], [path, weights]]), bundle(), config)).toThrow(
        `every file of small.jsonl's result must be one that job writes, but got ${JSON.stringify(path)}.`,
      );
    }
  });

  it('refuses a result without its run file', () => {
    expect(() => acceptJobFiles(job, new Map([['state/small-after-2.f32', weights]]), bundle(), config)).toThrow("small.jsonl's result must hold small.jsonl, but it does not.");
  });

  it('refuses a run that did not complete, and leaves nothing in the bundle', () => {
    const directory = bundle();
    const cut = text(`${small.toString('utf8').trimEnd().split('\n').slice(0, -1).join('\n')}\n`);
    expect(() => acceptJobFiles(job, new Map([['small.jsonl', cut]]), directory, config)).toThrow('small.jsonl must be a completed run, but it ends with no end line.');
    expect(readdirSync(directory)).toEqual([]);
  });

  it('refuses a run recorded with other settings, naming them', () => {
    expect(() => acceptJobFiles(job, new Map([['small.jsonl', small]]), bundle(), { ...config, seed: config.seed + 1 })).toThrow(
      `small.jsonl must be recorded with the sweep's settings, but seed is ${config.seed + 1} (recorded ${config.seed}).`,
    );
  });

  it('refuses a checkpoint whose sha256 does not match, before writing anything', () => {
    const directory = bundle();
    const other = new Uint8Array(new Float32Array([1, 2, 4]).buffer);
    expect(() => acceptJobFiles(job, new Map([['small.jsonl', small], ['state/small-after-2.f32', other], ['state/small-after-2.f32.sha256', sum]]), directory, config)).toThrow(
      'state/small-after-2.f32.sha256 must be the sha256 of small-after-2.f32, but it is not.',
    );
    expect(existsSync(join(directory, 'small.jsonl'))).toBe(false);
  });
});
