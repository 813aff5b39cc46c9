import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fedgearCacheDir, holdsCifar10, resolveDataDir } from '../../src/data/data-dir.js';
import { writeCifarBatch } from './cifar10-files.js';

describe('resolveDataDir', () => {
  let root: string;
  const cifarAt = (dir: string): string => {
    mkdirSync(dir, { recursive: true });
    writeCifarBatch(join(dir, 'data_batch_1.bin'), [0]);
    writeCifarBatch(join(dir, 'test_batch.bin'), [0]);
    return dir;
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'fedgear-datadir-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('prefers --data-dir, then FEDGEAR_DATA_DIR, then the per-user cache', () => {
    const flag = cifarAt(join(root, 'flag'));
    const fromEnv = cifarAt(join(root, 'env'));
    const cache = cifarAt(join(root, 'xdg', 'fedgear', 'cifar-10-batches-bin'));
    const env = { FEDGEAR_DATA_DIR: fromEnv, XDG_CACHE_HOME: join(root, 'xdg') };
    expect(resolveDataDir(flag, { env })).toBe(flag);
    expect(resolveDataDir(undefined, { env })).toBe(fromEnv);
    expect(resolveDataDir(undefined, { env: { XDG_CACHE_HOME: join(root, 'xdg') } })).toBe(cache);
  });

  it('uses ~/.cache/fedgear when XDG_CACHE_HOME is not set', () => {
    expect(fedgearCacheDir({}, '/home/ada')).toBe('/home/ada/.cache/fedgear');
    expect(fedgearCacheDir({ XDG_CACHE_HOME: '/var/cache/ada' }, '/home/ada')).toBe('/var/cache/ada/fedgear');
    const cache = cifarAt(join(root, 'home', '.cache', 'fedgear', 'cifar-10-batches-bin'));
    expect(resolveDataDir(undefined, { env: {}, home: join(root, 'home') })).toBe(cache);
  });

  it('refuses a --data-dir that does not hold the data rather than looking elsewhere', () => {
    const env = { FEDGEAR_DATA_DIR: cifarAt(join(root, 'env')) };
    const empty = join(root, 'empty');
    mkdirSync(empty);
    expect(() => resolveDataDir(empty, { env })).toThrow(
      `--data-dir must name a directory holding CIFAR-10 in the official binary layout (data_batch_N.bin, test_batch.bin), but got ${empty}.`,
    );
  });

  it('refuses a FEDGEAR_DATA_DIR that does not hold the data', () => {
    const missing = join(root, 'missing');
    expect(() => resolveDataDir(undefined, { env: { FEDGEAR_DATA_DIR: missing } })).toThrow(`FEDGEAR_DATA_DIR must name a directory`);
  });

  it('says how to get the data when nothing holds it', () => {
    const attempt = (): string => resolveDataDir(undefined, { env: {}, home: root });
    expect(attempt).toThrow(`but got nothing at ${join(root, '.cache', 'fedgear', 'cifar-10-batches-bin')}.`);
    expect(attempt).toThrow('Run `fedgear data fetch cifar10`');
    expect(attempt).toThrow('pass --data-dir');
    expect(attempt).toThrow('or set FEDGEAR_DATA_DIR.');
  });

  it('recognises the layout by test_batch.bin and at least one data_batch_N.bin', () => {
    const dir = join(root, 'partial');
    mkdirSync(dir);
    writeCifarBatch(join(dir, 'test_batch.bin'), [0]);
    expect(holdsCifar10(dir)).toBe(false);
    writeCifarBatch(join(dir, 'data_batch_2.bin'), [0]);
    expect(holdsCifar10(dir)).toBe(true);
  });
});
