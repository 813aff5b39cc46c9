import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { CIFAR10_ARCHIVE } from './cifar10-archive.js';

/**
 * The process state that `resolveDataDir` reads; both default to the running process's. Tests
 * pass their own so they never depend on the user's cache.
 *
 * @example
 * resolveDataDir(undefined, { env: { XDG_CACHE_HOME: '/tmp/cache' }, home: '/tmp/home' });
 */
export interface DataDirEnvironment {
  readonly env?: NodeJS.ProcessEnv;
  readonly home?: string;
}

/**
 * The environment variable that names the CIFAR-10 directory.
 *
 * @example
 * process.env[DATA_DIR_VARIABLE] = '/data/cifar-10-batches-bin';
 */
export const DATA_DIR_VARIABLE = 'FEDGEAR_DATA_DIR';

/**
 * fedgear's per-user cache folder: `$XDG_CACHE_HOME/fedgear`, else `~/.cache/fedgear`.
 *
 * @example
 * fedgearCacheDir({ XDG_CACHE_HOME: '/tmp/cache' }); // '/tmp/cache/fedgear'
 */
export function fedgearCacheDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const xdg = env['XDG_CACHE_HOME'];
  return xdg ? join(xdg, 'fedgear') : join(home, '.cache', 'fedgear');
}

/**
 * Whether `dir` holds CIFAR-10 in the official binary layout: `test_batch.bin` and at least one
 * `data_batch_N.bin`. The files' contents are checked by the loader, not here.
 *
 * @example
 * if (holdsCifar10(dir)) await loadCifar10(dir);
 */
export function holdsCifar10(dir: string): boolean {
  if (!existsSync(dir)) return false;
  try {
    const names = readdirSync(dir);
    return names.includes('test_batch.bin') && names.some((name) => /^data_batch_\d+\.bin$/.test(name));
  } catch {
    return false;
  }
}

/**
 * The CIFAR-10 directory to load: `flag` (the `--data-dir` value), else `FEDGEAR_DATA_DIR`, else
 * `cifar-10-batches-bin` in the per-user cache. A source that is given but does not hold the data
 * is an error rather than a reason to fall through, so a typo never silently picks other data.
 * When nothing is given and the cache is empty, the error says how to get the data.
 *
 * @example
 * const dir = resolveDataDir(flags['data-dir']);
 */
export function resolveDataDir(flag?: string, environment: DataDirEnvironment = {}): string {
  const env = environment.env ?? process.env;
  const cache = join(fedgearCacheDir(env, environment.home ?? homedir()), CIFAR10_ARCHIVE.folder);
  const remedy =
    `Run \`fedgear data fetch cifar10\` to download it into ${cache}, or download ${CIFAR10_ARCHIVE.url} ` +
    `by hand, unpack it and pass --data-dir <unpacked>/${CIFAR10_ARCHIVE.folder} or set ${DATA_DIR_VARIABLE}.`;
  const layout = `a directory holding CIFAR-10 in the official binary layout (data_batch_N.bin, test_batch.bin)`;
  if (flag !== undefined && flag !== '') {
    const dir = resolve(flag);
    if (!holdsCifar10(dir)) throw new Error(`--data-dir must name ${layout}, but got ${dir}. ${remedy}`);
    return dir;
  }
  const fromEnv = env[DATA_DIR_VARIABLE];
  if (fromEnv !== undefined && fromEnv !== '') {
    const dir = resolve(fromEnv);
    if (!holdsCifar10(dir)) throw new Error(`${DATA_DIR_VARIABLE} must name ${layout}, but got ${dir}. ${remedy}`);
    return dir;
  }
  if (!holdsCifar10(cache)) {
    throw new Error(`CIFAR-10 must be in the cache when neither --data-dir nor ${DATA_DIR_VARIABLE} is given, but got nothing at ${cache}. ${remedy}`);
  }
  return cache;
}
