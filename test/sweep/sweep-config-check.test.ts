import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRunConfig } from '../../src/engine/build-run-config.js';
import { readRun } from '../../src/metrics/read-run.js';
import { readBundle } from '../../src/replay/bundle.js';
import { sweep } from '../../src/sweep/sweep.js';
import { fedgear } from '../support/fedgear-cli.js';
import { FAKE_CIFAR10_CONFIG, fakeCifar10 } from '../data/cifar10-files.js';

const flat = (text: string) => text.replace(/\s+/g, ' ');
// Few images: these tests are about the check, not about learning.
const flags = ['--dataset', 'synthetic-easy', '--preset', 'tiny', '--per-client', '40', '--server', '20', '--validation', '20', '--test', '20', '--width', '1', '--rounds', '2', '--switch-points', '1'];
const config = buildRunConfig('tiny', { dataset: 'synthetic-easy', rounds: 2, seed: 7, perClient: 40, server: 20, validation: 20, test: 20, width: 1 });

describe("the sweep's config check (issue 11, case 2)", () => {
  let directory: string;
  let manifest: string;

  beforeAll(async () => {
    directory = join(mkdtempSync(join(tmpdir(), 'fedgear-sweep-check-')), 'bundle');
    await sweep({ config, directory, switchPoints: [1], name: 'bundle', command: 'fedgear sweep (seed 7)' });
    manifest = readFileSync(join(directory, 'manifest.json'), 'utf8');
  });

  it('refuses to continue a finished bundle with other flags, naming each differing field', async () => {
    const { status, stderr } = await fedgear(['sweep', directory, ...flags, '--seed', '8', '--lr', '0.05']);
    expect(status).not.toBe(0);
    expect(flat(stderr)).toContain(`${join(directory, 'small.jsonl')}:1: the sweep's settings must be the recorded ones, but seed is 8 (recorded 7) and learningRate is 0.05 (recorded 0.01).`);
    expect(flat(stderr)).toContain('--force-restart');
    expect(readFileSync(join(directory, 'manifest.json'), 'utf8')).toBe(manifest);
  });

  it('refuses to resume an interrupted trajectory with another seed, leaving it as it was', async () => {
    const copy = join(mkdtempSync(join(tmpdir(), 'fedgear-sweep-check-')), 'bundle');
    mkdirSync(copy);
    const small = join(copy, 'small.jsonl');
    const recorded = readFileSync(join(directory, 'small.jsonl'), 'utf8').split('\n');
    // A sweep killed after small's first round.
    writeFileSync(small, `${recorded.slice(0, 3).join('\n')}\n`);
    await expect(sweep({ config: { ...config, seed: 8 }, directory: copy, switchPoints: [1], name: 'bundle', command: 'x' })).rejects.toThrow(
      `${small}:1: the sweep's settings must be the recorded ones, but seed is 8 (recorded 7).`,
    );
    expect(readFileSync(small, 'utf8')).toBe(`${recorded.slice(0, 3).join('\n')}\n`);
  });

  it('lets settings that do not change results differ (worker threads)', async () => {
    const { status, stderr } = await sweep({ config: { ...config, workers: config.workers + 1 }, directory, switchPoints: [1], name: 'bundle', command: 'fedgear sweep (seed 7)' }).then(
      () => ({ status: 0, stderr: '' }),
      (error: Error) => ({ status: 1, stderr: error.message }),
    );
    expect(status, stderr).toBe(0);
  });

  it('records the bundle again from scratch with --force-restart', async () => {
    const { status, stderr } = await fedgear(['sweep', directory, ...flags, '--seed', '8', '--force-restart']);
    expect(status, stderr).toBe(0);
    expect(existsSync(join(directory, 'state'))).toBe(true);
    const bundle = readBundle(directory);
    for (const run of [bundle.small, bundle.large, bundle.branches[0]!.run]) expect(run.header.config['seed']).toBe(8);
    expect(readRun(join(directory, 'small.jsonl')).rounds).toHaveLength(2);
  });
});

describe('sweep ladders (issue 11, case 9)', () => {
  it('refuses a three-gear ladder up front, before any training', async () => {
    const elsewhere = join(mkdtempSync(join(tmpdir(), 'fedgear-sweep-check-')), 'bundle');
    await expect(sweep({ config: { ...config, ladder: 'three' }, directory: elsewhere, switchPoints: [1], name: 'x', command: 'x' })).rejects.toThrow(
      'the ladder must have 2 gears for a bundle (replay splices a single switch), but got three with 3 gears; record three-gear ladders with fedgear run.',
    );
    expect(existsSync(elsewhere)).toBe(false);
  });
});

describe("the sweep's data check (issue 11, case 8)", () => {
  it('refuses to resume a trajectory on other data than it was recorded with, naming the file, before training', async () => {
    const dataDir = fakeCifar10();
    const cifar = buildRunConfig('tiny', FAKE_CIFAR10_CONFIG);
    const bundle = join(mkdtempSync(join(tmpdir(), 'fedgear-sweep-data-')), 'bundle');
    await sweep({ config: cifar, directory: bundle, switchPoints: [1], name: 'bundle', command: 'x', dataDir });
    const small = join(bundle, 'small.jsonl');
    // A sweep killed after small's first round, resumed once one pixel of the first batch changed.
    const killed = `${readFileSync(small, 'utf8').split('\n').slice(0, 3).join('\n')}\n`;
    writeFileSync(small, killed);
    const batch = readFileSync(join(dataDir, 'data_batch_1.bin'));
    const recordedSum = createHash('sha256').update(batch).digest('hex');
    batch[5] = (batch[5]! + 1) % 256;
    writeFileSync(join(dataDir, 'data_batch_1.bin'), batch);
    const events: string[] = [];
    await expect(sweep({ config: cifar, directory: bundle, switchPoints: [1], name: 'bundle', command: 'x', dataDir, onEvent: (_job, event) => events.push(event.kind) })).rejects.toThrow(
      `${small}:1: the data must be the recorded data, but data_batch_1.bin has other content (sha256 ${createHash('sha256').update(batch).digest('hex')}, recorded ${recordedSum}). ` +
        'Rerun it with the data it was recorded with (--data-dir or FEDGEAR_DATA_DIR), or add --force-restart to record the bundle again from scratch.',
    );
    expect(events).toEqual([]);
    expect(readFileSync(small, 'utf8')).toBe(killed);
  });
});
