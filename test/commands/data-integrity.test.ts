import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
});
