import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRun } from '../../src/metrics/read-run.js';
import { FAKE_CIFAR10_FLAGS, fakeCifar10 } from '../data/cifar10-files.js';
import { fedgear } from '../support/fedgear-cli.js';

const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('data integrity through the CLI (issue 11, case 8)', () => {
  it('blames FEDGEAR_DATA_DIR, not --data-dir, when the variable names no CIFAR-10 directory', async () => {
    const empty = join(mkdtempSync(join(tmpdir(), 'fedgear-data-')), 'empty');
    mkdirSync(empty);
    const out = mkdtempSync(join(tmpdir(), 'fedgear-data-out-'));
    const { status, stderr } = await fedgear(['run', '--dataset', 'cifar10', '--preset', 'tiny', '--rounds', '1', '--out', out], { env: { FEDGEAR_DATA_DIR: empty } });
    expect(status).not.toBe(0);
    expect(flat(stderr)).toContain(`FEDGEAR_DATA_DIR must name a directory holding CIFAR-10 in the official binary layout (data_batch_N.bin, test_batch.bin), but got ${empty}.`);
    expect(flat(stderr)).not.toContain('--data-dir must name');
  });

  it("records each data file's image count and hash in the header, and run --resume refuses other data, naming the file", async () => {
    const data = fakeCifar10();
    const out = mkdtempSync(join(tmpdir(), 'fedgear-data-out-'));
    const first = await fedgear(['run', ...FAKE_CIFAR10_FLAGS, '--policy', 'never', '--out', out], { env: { FEDGEAR_DATA_DIR: data } });
    expect(first.status, first.stderr).toBe(0);
    const file = join(out, readdirSync(out).find((name) => name.endsWith('.jsonl'))!);
    const sum = (name: string) => createHash('sha256').update(readFileSync(join(data, name))).digest('hex');
    expect(readRun(file).header.data?.parts).toEqual([
      { name: 'data_batch_1.bin', images: 30, sha256: sum('data_batch_1.bin') },
      { name: 'data_batch_2.bin', images: 30, sha256: sum('data_batch_2.bin') },
      { name: 'test_batch.bin', images: 10, sha256: sum('test_batch.bin') },
    ]);

    // As if killed before its end line, then resumed on data whose second batch lost its last 10 records.
    const killed = readFileSync(file, 'utf8').replace(/.*"kind":"end".*\n/, '');
    writeFileSync(file, killed);
    writeFileSync(join(data, 'data_batch_2.bin'), readFileSync(join(data, 'data_batch_2.bin')).subarray(0, 20 * 3073));
    const resumed = await fedgear(['run', '--resume', file, '--data-dir', data]);
    expect(resumed.status).not.toBe(0);
    expect(flat(resumed.stderr)).toContain(
      ':1: the data must be the recorded data, but data_batch_2.bin has 20 images (recorded 30). Resume it with the data it was recorded with (--data-dir or FEDGEAR_DATA_DIR).',
    );
    // oclif wraps long paths wherever it likes.
    expect(resumed.stderr.replace(/\s+/g, '')).toContain(`Error:${file}:1:`);
    expect(readFileSync(file, 'utf8')).toBe(killed);
  });
});
