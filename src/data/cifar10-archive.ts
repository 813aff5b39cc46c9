/**
 * The official CIFAR-10 binary archive (Krizhevsky, 2009): where it is published, its MD5 as
 * published there, and the folder it unpacks to.
 *
 * @example
 * console.log(`download ${CIFAR10_ARCHIVE.url} and check its MD5 is ${CIFAR10_ARCHIVE.md5}`);
 */
export const CIFAR10_ARCHIVE = {
  url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz',
  md5: 'c32a1d4ab5d03f1284b67883e8d87530',
  folder: 'cifar-10-batches-bin',
} as const;
