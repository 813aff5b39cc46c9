import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadCifar10 } from '../../src/data/cifar10.js';
import { fetchCifar10, type FetchProgress } from '../../src/data/fetch-cifar10.js';
import { writeCifarBatch } from './cifar10-files.js';

/** A .tar.gz of `folder/` holding a two-record training batch and a one-record test batch. */
async function makeArchive(root: string, folder: string): Promise<Buffer> {
  const source = join(root, 'source');
  mkdirSync(join(source, folder), { recursive: true });
  writeCifarBatch(join(source, folder, 'data_batch_1.bin'), [3, 5]);
  writeCifarBatch(join(source, folder, 'test_batch.bin'), [9]);
  const file = join(root, `${folder}.tar.gz`);
  await tar.c({ gzip: true, file, cwd: source }, [folder]);
  rmSync(source, { recursive: true });
  return readFileSync(file);
}

const md5Of = (bytes: Buffer): string => createHash('md5').update(bytes).digest('hex');

describe('fetchCifar10', () => {
  let archives: string;
  let good: Buffer;
  let wrongFolder: Buffer;
  let server: Server;
  let base: string;
  let requests = 0;
  let cacheDir: string;

  beforeAll(async () => {
    archives = mkdtempSync(join(tmpdir(), 'fedgear-archives-'));
    good = await makeArchive(archives, 'cifar-10-batches-bin');
    wrongFolder = await makeArchive(archives, 'something-else');
    server = createServer((request, response) => {
      requests++;
      const body = request.url === '/cifar.tar.gz' ? good : request.url === '/other.tar.gz' ? wrongFolder : undefined;
      if (body === undefined) {
        response.writeHead(404, 'Not Found').end();
        return;
      }
      response.writeHead(200, { 'content-length': body.length });
      // Two chunks, so progress is reported more than once.
      response.write(body.subarray(0, 100));
      response.end(body.subarray(100));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(archives, { recursive: true, force: true });
  });
  beforeEach(() => {
    cacheDir = mkdtempSync(join(tmpdir(), 'fedgear-cache-'));
  });
  afterEach(() => rmSync(cacheDir, { recursive: true, force: true }));

  it('downloads the archive, checks its MD5, unpacks it into the cache and reports progress', async () => {
    const progress: FetchProgress[] = [];
    const result = await fetchCifar10({ cacheDir, url: `${base}/cifar.tar.gz`, md5: md5Of(good), onProgress: (p) => progress.push(p) });
    expect(result).toEqual({ directory: join(cacheDir, 'cifar-10-batches-bin'), downloaded: true });
    const { train, test } = await loadCifar10(result.directory);
    expect([...train.labels]).toEqual([3, 5]);
    expect([...test.labels]).toEqual([9]);
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress.at(-1)).toEqual({ done: good.length, total: good.length });
    expect(readdirSync(cacheDir)).toEqual(['cifar-10-batches-bin']);
  });

  it('leaves a SHA256SUMS of the unpacked files, so a file later cut short is refused (issue 11, case 8)', async () => {
    const { directory } = await fetchCifar10({ cacheDir, url: `${base}/cifar.tar.gz`, md5: md5Of(good) });
    const sum = (name: string) => createHash('sha256').update(readFileSync(join(directory, name))).digest('hex');
    expect(readFileSync(join(directory, 'SHA256SUMS'), 'utf8')).toBe(`${sum('data_batch_1.bin')}  data_batch_1.bin\n${sum('test_batch.bin')}  test_batch.bin\n`);
    writeFileSync(join(directory, 'data_batch_1.bin'), readFileSync(join(directory, 'data_batch_1.bin')).subarray(0, 3073));
    await expect(loadCifar10(directory)).rejects.toThrow(`${join(directory, 'data_batch_1.bin')} must have the SHA-256 that ${join(directory, 'SHA256SUMS')} lists`);
  });

  it('does not download again when the cache already holds the data, unless forced', async () => {
    const options = { cacheDir, url: `${base}/cifar.tar.gz`, md5: md5Of(good) };
    await fetchCifar10(options);
    const before = requests;
    expect((await fetchCifar10(options)).downloaded).toBe(false);
    expect(requests).toBe(before);
    expect((await fetchCifar10({ ...options, force: true })).downloaded).toBe(true);
    expect(requests).toBe(before + 1);
  });

  it('refuses an archive whose MD5 differs, leaving nothing behind, and says how to get the data by hand', async () => {
    const wrong = '0'.repeat(32);
    const attempt = fetchCifar10({ cacheDir, url: `${base}/cifar.tar.gz`, md5: wrong });
    await expect(attempt).rejects.toThrow(
      `The MD5 of the archive downloaded from ${base}/cifar.tar.gz must be ${wrong}, but got ${md5Of(good)}.`,
    );
    await expect(fetchCifar10({ cacheDir, url: `${base}/cifar.tar.gz`, md5: wrong })).rejects.toThrow(
      'unpack it (tar xzf) and pass --data-dir <unpacked>/cifar-10-batches-bin or set FEDGEAR_DATA_DIR.',
    );
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it('refuses an archive that does not contain cifar-10-batches-bin/', async () => {
    await expect(fetchCifar10({ cacheDir, url: `${base}/other.tar.gz`, md5: md5Of(wrongFolder) })).rejects.toThrow(
      'The downloaded archive must contain cifar-10-batches-bin/ with data_batch_N.bin and test_batch.bin, but got no such folder.',
    );
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it('reports an HTTP error status', async () => {
    await expect(fetchCifar10({ cacheDir, url: `${base}/missing.tar.gz` })).rejects.toThrow(
      `The server of ${base}/missing.tar.gz must answer 200 OK, but got 404 Not Found.`,
    );
  });

  it('says the machine may be offline when the connection is refused', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const url = `http://127.0.0.1:${port}/cifar.tar.gz`;
    const attempt = fetchCifar10({ cacheDir, url });
    await expect(attempt).rejects.toThrow(`The download of ${url} must reach its server, but got ECONNREFUSED`);
    await expect(attempt).rejects.toThrow('This machine may be offline. To get the data without this command, download');
    expect(existsSync(join(cacheDir, 'cifar-10-batches-bin'))).toBe(false);
  });
});
