/**
 * Training speed (forward + backward + SGD update, images/s) of a small VGG-like CNN on 32x32x3
 * inputs, batch 32, on: wasm with fedgear's convolution gradients, stock wasm (which has no filter
 * gradient), stock wasm's input gradient combined with ours for the filter, and the cpu backend.
 * Prints a markdown table. Single-threaded: run it while the machine is otherwise idle.
 *
 * @example
 * // npm run build && node dist/bench/conv-gradient-speed.js
 */
import * as tf from '../src/vendor/tfjs.js';
import { performance } from 'node:perf_hooks';
import { registerWasmConvGradients } from '../src/backend/wasm-conv-gradients.js';

const BATCH = 32;

interface Row {
  setup: string;
  imagesPerSecond: number | string;
  steps: number;
}

function buildNet(): tf.Sequential {
  const conv = (filters: number, inputShape?: [number, number, number]): tf.layers.Layer =>
    tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu', ...(inputShape ? { inputShape } : {}) });
  return tf.sequential({
    layers: [
      conv(16, [32, 32, 3]),
      conv(16),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      conv(32),
      conv(32),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 64, activation: 'relu' }),
      tf.layers.dense({ units: 10 }),
    ],
  });
}

/** Mean images/s over `steps` timed SGD steps, after one untimed warm-up step. */
async function measure(backend: string, steps: number): Promise<number> {
  await tf.setBackend(backend);
  const net = buildNet();
  const optimizer = tf.train.sgd(0.01);
  const x = tf.randomNormal([BATCH, 32, 32, 3]);
  const labels = tf.oneHot(tf.randomUniform([BATCH], 0, 10, 'int32') as tf.Tensor1D, 10);
  const step = async (): Promise<void> => {
    const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(labels, net.predict(x) as tf.Tensor), true);
    await loss!.data();
    loss!.dispose();
  };
  try {
    await step();
    const start = performance.now();
    for (let i = 0; i < steps; i++) await step();
    return (steps * BATCH) / ((performance.now() - start) / 1000);
  } finally {
    tf.dispose([x, labels]);
    optimizer.dispose();
    net.dispose();
  }
}

async function row(setup: string, backend: string, steps: number): Promise<Row> {
  try {
    return { setup, imagesPerSecond: await measure(backend, steps), steps };
  } catch (error) {
    return { setup, imagesPerSecond: `fails: ${(error as Error).message.split('\n')[0]}`, steps };
  }
}

const rows: Row[] = [];
tf.env().set('PROD', true);
rows.push(await row('stock wasm', 'wasm', 5));

const stockInput = tf.getKernel(tf.Conv2DBackpropInput, 'wasm');
registerWasmConvGradients();
const ourInput = tf.getKernel(tf.Conv2DBackpropInput, 'wasm');
if (stockInput !== undefined && ourInput !== undefined) {
  tf.unregisterKernel(tf.Conv2DBackpropInput, 'wasm');
  tf.registerKernel(stockInput);
  rows.push(await row('wasm, stock input gradient + fedgear filter gradient', 'wasm', 5));
  tf.unregisterKernel(tf.Conv2DBackpropInput, 'wasm');
  tf.registerKernel(ourInput);
}
rows.push(await row('wasm + fedgear conv gradients', 'wasm', 20));
rows.push(await row('cpu (pure JS)', 'cpu', 2));

console.log(`VGG-like CNN (conv 16,16,pool,32,32,pool,dense 64,10), 32x32x3, batch ${BATCH}, 1 thread\n`);
console.log('| setup | images/s | timed steps |');
console.log('| --- | --- | --- |');
for (const r of rows) {
  const speed = typeof r.imagesPerSecond === 'number' ? r.imagesPerSecond.toFixed(1) : r.imagesPerSecond;
  console.log(`| ${r.setup} | ${speed} | ${r.steps} |`);
}
