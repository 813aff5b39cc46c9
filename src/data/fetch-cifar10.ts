import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as tar from 'tar';
import { writeChecksumList } from './checksum-list.js';
import { CIFAR10_ARCHIVE } from './cifar10-archive.js';
import { DATA_DIR_VARIABLE, fedgearCacheDir, holdsCifar10 } from './data-dir.js';

/**
 * Bytes downloaded so far, and the archive's size when the server announced it.
 *
 * @example
 * const onProgress = ({ done, total }: FetchProgress) => bar.update(done, total);
 */
export interface FetchProgress {
  readonly done: number;
  readonly total: number | undefined;
}

/**
 * Where to put CIFAR-10 and where to get it; every field has the official default. Tests inject
 * `url` and `md5` to serve a small archive from a local server.
 *
 * @example
 * const options: FetchCifar10Options = { cacheDir: '/tmp/cache', force: true };
 */
export interface FetchCifar10Options {
  /** Folder that receives `cifar-10-batches-bin/`; default: fedgear's per-user cache. */
  readonly cacheDir?: string;
  /** Archive to download; default: the official one. */
  readonly url?: string;
  /** Expected MD5 of the archive, lowercase hex; default: the official one. */
  readonly md5?: string;
  /** Download again even when the cache already holds the data. */
  readonly force?: boolean;
  /** Called after every chunk received; the CLI draws its progress bar from it. */
  readonly onProgress?: (progress: FetchProgress) => void;
  readonly signal?: AbortSignal;
}

/**
 * Where the data now is, and whether this call downloaded it.
 *
 * @example
 * const { directory, downloaded }: FetchCifar10Result = await fetchCifar10();
 */
export interface FetchCifar10Result {
  readonly directory: string;
  readonly downloaded: boolean;
}

/**
 * Downloads the CIFAR-10 binary archive into the cache, checks its MD5 and unpacks it, so that
 * `<cacheDir>/cifar-10-batches-bin` holds the official files, with a `SHA256SUMS` of them that
 * every later `loadCifar10` checks (a file damaged or cut short in the cache is then refused). Does nothing when they are already
 * there (unless `force`).
 *
 * The archive is written next to its destination as `.part` and unpacked into a staging folder
 * that is renamed into place only when complete, so an interrupted fetch never leaves a folder
 * that looks like data. Every failure says how to get the data by hand.
 *
 * @example
 * const { directory } = await fetchCifar10({ onProgress: ({ done, total }) => bar.update(done, total) });
 */
export async function fetchCifar10(options: FetchCifar10Options = {}): Promise<FetchCifar10Result> {
  const cacheDir = options.cacheDir ?? fedgearCacheDir();
  const url = options.url ?? CIFAR10_ARCHIVE.url;
  const md5 = (options.md5 ?? CIFAR10_ARCHIVE.md5).toLowerCase();
  const directory = join(cacheDir, CIFAR10_ARCHIVE.folder);
  if (!options.force && holdsCifar10(directory)) return { directory, downloaded: false };

  const byHand =
    `To get the data without this command, download ${url} on a machine with network access, check that its ` +
    `MD5 is ${md5}, unpack it (tar xzf) and pass --data-dir <unpacked>/${CIFAR10_ARCHIVE.folder} or set ${DATA_DIR_VARIABLE}.`;
  await mkdir(cacheDir, { recursive: true });
  const archive = join(cacheDir, `${CIFAR10_ARCHIVE.folder}.tar.gz.part`);
  try {
    const digest = await download(url, archive, byHand, options);
    if (digest !== md5) {
      throw new Error(`The MD5 of the archive downloaded from ${url} must be ${md5}, but got ${digest}. ${byHand}`);
    }
    await unpack(archive, cacheDir, directory, byHand);
  } finally {
    await rm(archive, { force: true });
  }
  return { directory, downloaded: true };
}

async function download(url: string, file: string, byHand: string, options: FetchCifar10Options): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { signal: options.signal ?? null });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new Error(`The download of ${url} must reach its server, but got ${networkFailure(error)}. This machine may be offline. ${byHand}`);
  }
  if (!response.ok || response.body === null) {
    throw new Error(`The server of ${url} must answer 200 OK, but got ${response.status} ${response.statusText}. ${byHand}`);
  }
  const length = Number(response.headers.get('content-length'));
  const total = Number.isSafeInteger(length) && length > 0 ? length : undefined;
  const hash = createHash('md5');
  const handle = await open(file, 'w');
  let done = 0;
  try {
    for await (const chunk of response.body) {
      hash.update(chunk);
      await handle.write(chunk);
      done += chunk.length;
      options.onProgress?.({ done, total });
    }
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new Error(`The download of ${url} must complete, but got ${networkFailure(error)} after ${done} bytes. ${byHand}`);
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

async function unpack(archive: string, cacheDir: string, directory: string, byHand: string): Promise<void> {
  const staging = await mkdtemp(join(cacheDir, '.unpack-'));
  try {
    try {
      await tar.x({ file: archive, cwd: staging, strict: true });
    } catch (error) {
      throw new Error(`The downloaded archive must be a valid .tar.gz, but got ${networkFailure(error)}. ${byHand}`);
    }
    const unpacked = join(staging, CIFAR10_ARCHIVE.folder);
    if (!holdsCifar10(unpacked)) {
      throw new Error(
        `The downloaded archive must contain ${CIFAR10_ARCHIVE.folder}/ with data_batch_N.bin and test_batch.bin, but got no such folder. ${byHand}`,
      );
    }
    // The archive's MD5 was checked: from now on every load checks each file against it.
    await writeChecksumList(unpacked);
    await rm(directory, { recursive: true, force: true });
    await rename(unpacked, directory);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** The most specific description of a failed request: fetch hides the socket error in `cause`. */
function networkFailure(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (!(cause instanceof Error)) return String(cause);
  const code = (cause as NodeJS.ErrnoException).code;
  return code ? `${code} (${cause.message})` : cause.message;
}
