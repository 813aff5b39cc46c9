import { existsSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRunConfig } from '../../src/engine/build-run-config.js';
import { stagedRun } from '../../src/engine/staged-run.js';
import { readRun } from '../../src/metrics/read-run.js';
import type { RoundRecord } from '../../src/metrics/round-record.js';
import { loadPolicy } from '../../src/policy/load-policy.js';
import { sweep } from '../../src/sweep/sweep.js';

// Width 4 and no server pre-training: the smallest run that still has two checkpoints to fall back between.
const config = buildRunConfig('tiny', { dataset: 'synthetic-easy', rounds: 3, width: 4, serverEpochs: 0, workers: 1, perClient: 100, server: 60, validation: 60, test: 60 });
const trained = (rounds: readonly RoundRecord[]) => rounds.map((r) => [r.round, r.gear, r.validation.loss, r.test.accuracy]);

/** small.jsonl as a kill after round `round` leaves it. */
function cutAfter(path: string, round: number): void {
  const lines = readFileSync(path, 'utf8').split('\n');
  const cut = lines.findIndex((line) => line.startsWith(`{"kind":"decision","round":${round},`));
  writeFileSync(path, `${lines.slice(0, cut + 1).join('\n')}\n`);
}

describe('sweep checkpoints (issue 11, case 3)', () => {
  let directory: string;
  let small: RoundRecord[];

  beforeAll(async () => {
    directory = join(mkdtempSync(join(tmpdir(), 'fedgear-checkpoints-')), 'bundle');
    await sweep({ config, directory, switchPoints: [1, 2], name: 'bundle', command: 'test' });
    small = [...readRun(join(directory, 'small.jsonl')).rounds];
  }, 600_000);

  it('writes a sha256sum-style checksum beside each checkpoint', () => {
    const sums = readFileSync(join(directory, 'state', 'small-after-2.f32.sha256'), 'utf8');
    expect(sums).toMatch(/^[0-9a-f]{64} {2}small-after-2\.f32\n$/);
  });

  it('names a truncated checkpoint, ignores it and resumes from the last good one, to the same rounds', async () => {
    const path = join(directory, 'small.jsonl');
    cutAfter(path, 2);
    truncateSync(join(directory, 'state', 'small-after-2.f32'), 4000);
    const notes: string[] = [];
    await sweep({ config, directory, switchPoints: [1, 2], name: 'bundle', command: 'test', onNote: (note) => notes.push(note) });
    expect(notes).toContain(`${join(directory, 'state', 'small-after-2.f32')} is damaged (4000 bytes, but small after round 2 has 17886 parameters, 71544 bytes): ignored`);
    expect(notes).toContain('small.jsonl resumes after round 1');
    expect(trained(readRun(path).rounds)).toEqual(trained(small));
  });

  it('names a checkpoint whose checksum does not match, and retrains from scratch when none is good', async () => {
    const path = join(directory, 'small.jsonl');
    cutAfter(path, 2);
    for (const round of [1, 2]) {
      const state = join(directory, 'state', `small-after-${round}.f32`);
      const bytes = readFileSync(state);
      bytes[100] = bytes[100]! ^ 0xff;
      writeFileSync(state, bytes);
    }
    const notes: string[] = [];
    await sweep({ config, directory, switchPoints: [1, 2], name: 'bundle', command: 'test', onNote: (note) => notes.push(note) });
    expect(notes).toContain(`${join(directory, 'state', 'small-after-1.f32')} is damaged (its sha256 is not the one in small-after-1.f32.sha256): ignored`);
    expect(notes.some((note) => note.startsWith('small.jsonl resumes'))).toBe(false);
    expect(trained(readRun(path).rounds)).toEqual(trained(small));
  });

  it('keeps the recorded rounds of a run whose resume fails before its first new round', async () => {
    const path = join(directory, 'small.jsonl');
    cutAfter(path, 2);
    const before = readFileSync(path, 'utf8');
    const never = await loadPolicy('never');
    const resume = { rounds: small.slice(0, 2), switches: [], weights: new Float32Array(1000) };
    await expect(lastValueFrom(stagedRun({ config, plugin: never, outFile: path, resume }).pipe(toArray()))).rejects.toThrow();
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(existsSync(`${path}.part`)).toBe(false);
  });
});
