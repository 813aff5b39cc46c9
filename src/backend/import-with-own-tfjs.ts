/**
 * Imports a package that brings its own copy of TensorFlow.js, as `@tensorflow/tfjs-node` does
 * (it requires the '@tensorflow/tfjs' package, not fedgear's bundle). tfjs keeps its engine and
 * kernel registry in globals, so that copy registers its backend with the engine fedgear trains on;
 * on the way it sets the platform and registers the cpu backend and its kernels again, and says so
 * once for each (some 170 warnings). Those warnings are dropped while the package loads; every
 * other one is printed.
 *
 * @example
 * await importWithOwnTfjs('@tensorflow/tfjs-node');
 */
export async function importWithOwnTfjs(specifier: string): Promise<void> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!isRepeatedRegistration(args[0])) warn(...args);
  };
  try {
    await import(specifier);
  } finally {
    console.warn = warn;
  }
}

/** tfjs's warnings, word for word, for a platform, backend or kernel registered a second time. */
const REPEATED_REGISTRATION = [
  /^Platform \S+ has already been set\. Overwriting the platform with \S+\.$/,
  /^\S+ backend was already registered\. Reusing existing backend factory\.$/,
  /^The kernel '[^']+' for backend '[^']+' is already registered$/,
];

function isRepeatedRegistration(message: unknown): boolean {
  return typeof message === 'string' && REPEATED_REGISTRATION.some((pattern) => pattern.test(message));
}
