/**
 * Chooses the tfjs backend a process (or worker thread) trains on.
 *
 * `@tensorflow/tfjs-node` is an optional dependency: when present it is by far the fastest, when
 * absent `auto` quietly uses wasm with our convolution gradients, which trains CNNs, and only
 * then the pure-JS cpu backend.
 */
import * as tf from '../vendor/tfjs.js';
import { BACKEND_CHOICES, type BackendChoice } from './backend-choice.js';
import { importWithOwnTfjs } from './import-with-own-tfjs.js';
import { registerWasmConvGradients } from './wasm-conv-gradients.js';
import { registerWasmMatMulTransposes } from './wasm-matmul-transposes.js';
import { registerWasmMaxPoolGrad } from './wasm-max-pool-grad.js';

const TFJS_NODE = '@tensorflow/tfjs-node';

/** Loads tfjs-node and switches to it; returns why that failed, or undefined on success. */
async function tryNode(): Promise<Error | undefined> {
  try {
    await importWithOwnTfjs(TFJS_NODE);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
  if (!(await tf.setBackend('tensorflow'))) {
    return new Error(`${TFJS_NODE} loaded but its 'tensorflow' backend failed to initialise`);
  }
  return undefined;
}

function isMissingPackage(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && error.message.includes(TFJS_NODE);
}

function nodeUnavailable(cause: Error): Error {
  const problem = isMissingPackage(cause)
    ? 'must be installed for the node backend, but got no such package'
    : `must load for the node backend, but got ${JSON.stringify(cause.message)}`;
  return new Error(
    `${TFJS_NODE} ${problem}. Install it with \`npm install ${TFJS_NODE}\`, or use \`--backend wasm\`.`,
    { cause },
  );
}

async function useWasm(): Promise<boolean> {
  registerWasmConvGradients();
  registerWasmMatMulTransposes();
  registerWasmMaxPoolGrad();
  return tf.setBackend('wasm');
}

async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  // The cpu backend advertises tfjs-node on its first tensor write; whoever runs on cpu has already
  // been offered the faster backends, so that first write happens here with logging muted.
  const env = tf.env();
  const prod = env.getBool('PROD');
  env.set('PROD', true);
  try {
    tf.scalar(0).dispose();
  } finally {
    env.set('PROD', prod);
  }
}

/**
 * Switches tfjs to the chosen backend and resolves to the name of the backend now in use
 * (`'tensorflow'`, `'wasm'` or `'cpu'`). Each worker thread has its own tfjs and must call it too.
 * Throws when `node` is chosen but tfjs-node cannot load, or when wasm is chosen and fails.
 *
 * @example
 * const name = await selectBackend('auto'); // 'wasm' where tfjs-node is not installed
 */
export async function selectBackend(choice: BackendChoice): Promise<string> {
  if (!(BACKEND_CHOICES as readonly string[]).includes(choice)) {
    throw new Error(`backend must be one of ${BACKEND_CHOICES.join(', ')}, but got ${JSON.stringify(choice)}.`);
  }
  switch (choice) {
    case 'node': {
      const failure = await tryNode();
      if (failure !== undefined) throw nodeUnavailable(failure);
      break;
    }
    case 'wasm':
      if (!(await useWasm())) {
        throw new Error(`The wasm backend must initialise, but got a failure (tfjs logged the cause above); use \`--backend cpu\` instead.`);
      }
      break;
    case 'cpu':
      await useCpu();
      break;
    case 'auto':
      if ((await tryNode()) === undefined) break;
      if (await useWasm()) break;
      await useCpu();
      break;
  }
  return tf.getBackend();
}
