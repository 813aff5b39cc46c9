import * as tf from '../../src/vendor/tfjs.js';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { BACKEND_CHOICES, type BackendChoice } from '../../src/backend/backend-choice.js';
import { selectBackend } from '../../src/backend/select-backend.js';

let tfjsNodeInstalled = false;

beforeAll(async () => {
  try {
    const specifier: string = '@tensorflow/tfjs-node';
    await import(specifier);
    tfjsNodeInstalled = true;
  } catch {
    tfjsNodeInstalled = false;
  }
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** Conv filter gradient on the current backend: throws on stock wasm, which lacks the kernel. */
async function trainOneConvStep(): Promise<number[]> {
  const [df] = tf.grads((f) => tf.conv2d(tf.ones([1, 4, 4, 2]) as tf.Tensor4D, f as tf.Tensor4D, 1, 'same').sum())([
    tf.ones([3, 3, 2, 1]),
  ]);
  const values = Array.from(await df!.data());
  df!.dispose();
  return values;
}

describe('BACKEND_CHOICES', () => {
  it('lists auto, node, wasm and cpu for the --backend flag', () => {
    expect(BACKEND_CHOICES).toEqual(['auto', 'node', 'wasm', 'cpu']);
  });
});

describe('selectBackend', () => {
  // First in the file, so it sees the fresh tfjs of this test process and any first-use messages.
  it('with auto, uses tfjs-node when it loads and otherwise wasm, printing nothing', async () => {
    const printers = (['log', 'info', 'warn', 'error'] as const).map((name) =>
      vi.spyOn(console, name).mockImplementation(() => undefined),
    );
    expect(await selectBackend('auto')).toBe(tfjsNodeInstalled ? 'tensorflow' : 'wasm');
    expect(tf.getBackend()).toBe(tfjsNodeInstalled ? 'tensorflow' : 'wasm');
    await trainOneConvStep();
    for (const printer of printers) expect(printer).not.toHaveBeenCalled();
  });

  it('with wasm, can train a convolution (the gradient kernels are registered)', async () => {
    expect(await selectBackend('wasm')).toBe('wasm');
    // On a 4x4 'same' convolution a corner tap meets 3x3 input ones, an edge tap 3x4, the centre 4x4.
    expect(await trainOneConvStep()).toEqual([9, 9, 12, 12, 9, 9, 12, 12, 16, 16, 12, 12, 9, 9, 12, 12, 9, 9]);
  });

  it('with cpu, uses the cpu backend without advertising tfjs-node', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(await selectBackend('cpu')).toBe('cpu');
    tf.tensor([1, 2, 3]).dispose();
    expect(tf.getBackend()).toBe('cpu');
    expect(warn).not.toHaveBeenCalled();
  });

  it.skipIf(tfjsNodeInstalled)('with node, explains how to get tfjs-node when it is not installed', async () => {
    await expect(selectBackend('node')).rejects.toThrow(
      '@tensorflow/tfjs-node must be installed for the node backend, but got no such package. ' +
        'Install it with `npm install @tensorflow/tfjs-node`, or use `--backend wasm`.',
    );
  });

  it('refuses a choice that is not a backend', async () => {
    await expect(selectBackend('gpu' as BackendChoice)).rejects.toThrow(
      'backend must be one of auto, node, wasm, cpu, but got "gpu".',
    );
  });

  it('works inside a worker thread, which has its own tfjs', async () => {
    const moduleUrl = new URL('../../src/backend/select-backend.js', import.meta.url).href;
    const tfjsUrl = new URL('../../src/vendor/tfjs.js', import.meta.url).href;
    const worker = new Worker(
      `const { parentPort } = require('node:worker_threads');
      (async () => {
        const { selectBackend } = await import(${JSON.stringify(moduleUrl)});
        const tf = await import(${JSON.stringify(tfjsUrl)});
        const name = await selectBackend('auto');
        const [df] = tf.grads((f) => tf.conv2d(tf.ones([1, 4, 4, 2]), f, 1, 'same').sum())([tf.ones([3, 3, 2, 1])]);
        parentPort.postMessage({ name, first: (await df.data())[0] });
      })().catch((error) => parentPort.postMessage({ error: String(error) }));`,
      { eval: true },
    );
    const reply = await new Promise<unknown>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(reply).toEqual({ name: tfjsNodeInstalled ? 'tensorflow' : 'wasm', first: 9 });
  });
});
