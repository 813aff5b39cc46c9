/**
 * Where a training step spends its time, op by op: one SGD step (batch 32) of each gear of the
 * paper ladder, at the presets' widths, on the wasm backend, through the engine's own step
 * (`imageBatch`, `batchGradients`, `applySgdUpdate`). Every wasm kernel is wrapped to add up its
 * CPU time, by phase (forward, loss, backward, update); what no kernel accounts for is JS: the
 * layers' and tape's dispatch, tensor allocation and disposal. Rewrites the profile section of
 * docs/benchmarks.md and prints it.
 *
 * Flags: `--widths 16,8`, `--steps N` (timed steps per gear after 3 warm-up steps, default 8).
 *
 * @example
 * // npm run build && node dist/bench/training-profile.js --widths 16 --steps 4
 */
import * as tf from '../src/vendor/tfjs.js';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { selectBackend } from '../src/backend/select-backend.js';
import { getPreset } from '../src/data/presets.js';
import { Random } from '../src/data/random.js';
import { imageBatch } from '../src/engine/image-batch.js';
import { applySgdUpdate, batchGradients } from '../src/engine/sgd.js';
import { KERNEL_SIZE, layers, type Architecture, type WeightLayer } from '../src/models/architecture.js';
import { buildModel } from '../src/models/build-model.js';
import { buildLadder } from '../src/models/ladder.js';
import { machineLines, rerunCommand, writeSection } from './benchmarks-doc.js';
import { fixed, table } from './markdown-table.js';
import { progress } from './process-timing.js';
import { BATCH, CLASSES, INPUT_SHAPE, NORMALIZATION, randomShard, SGD } from './training-setup.js';

type Phase = 'batch' | 'forward' | 'loss' | 'backward' | 'update';

const WARM_UP_STEPS = 3;
/** Rows and columns of the square matrices whose product measures the best speed wasm reaches. */
const MATMUL_SIZE = 1024;

/** CPU seconds of this process so far (all threads; the wasm backend runs in this one). */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** CPU seconds per `${phase} ${kernel}`, outermost kernels only (our gradient kernels call others). */
class KernelClock {
  phase: Phase = 'batch';
  readonly seconds = new Map<string, number>();
  readonly calls = new Map<string, number>();
  private depth = 0;

  /** Re-registers every wasm kernel wrapped in a timer. Call after the backend is set up. */
  wrapWasmKernels(): void {
    for (const config of tf.getKernelsForBackend('wasm')) {
      const { kernelName, kernelFunc } = config;
      tf.unregisterKernel(kernelName, 'wasm');
      // The stock kernels' setup (binding their wasm functions) ran when the backend started.
      tf.registerKernel({
        ...config,
        kernelFunc: (args) => {
          if (this.depth > 0) return kernelFunc(args);
          this.depth++;
          const started = cpuSeconds();
          try {
            return kernelFunc(args);
          } finally {
            this.depth--;
            const key = `${this.phase} ${kernelName}`;
            this.seconds.set(key, (this.seconds.get(key) ?? 0) + cpuSeconds() - started);
            this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
          }
        },
      });
    }
  }

  reset(): void {
    this.seconds.clear();
    this.calls.clear();
  }
}

/** What a kernel does in a phase, as the profile table groups it. */
function category(phase: Phase, kernel: string): string {
  if (phase === 'batch') return 'batch: pixels to tensors, one-hot labels';
  if (phase === 'loss') return 'loss: softmax cross-entropy';
  if (phase === 'update') return 'update: weight decay and momentum SGD';
  if (phase === 'forward') {
    if (kernel === 'Conv2D' || kernel === 'FusedConv2D') return 'forward: convolutions';
    if (kernel === 'MaxPool') return 'forward: max pooling';
    if (kernel === 'BatchMatMul' || kernel === '_FusedMatMul') return 'forward: dense layers';
    if (kernel === 'Add' || kernel === 'BiasAdd' || kernel === 'Relu') return 'forward: bias and ReLU';
    return 'forward: other (reshape, accuracy count)';
  }
  if (kernel === 'Conv2DBackpropFilter') return 'backward: filter gradients';
  if (kernel === 'Conv2DBackpropInput') return 'backward: input gradients';
  if (kernel === 'MaxPoolGrad') return 'backward: pooling gradients';
  if (kernel === 'BatchMatMul') return 'backward: dense gradients';
  if (kernel === 'Sum') return 'backward: bias gradients';
  if (kernel === 'Step' || kernel === 'Multiply' || kernel === 'ReluGrad') return 'backward: ReLU gradients';
  return 'backward: other (gradient sums, reshapes, copies)';
}

interface Profile {
  readonly width: number;
  /** Floating-point operations of a step's convolutions: forward, filter and input gradients. */
  readonly convFlops: number;
  readonly gear: string;
  readonly steps: number;
  /** CPU seconds of the whole steps. */
  readonly stepSeconds: number;
  readonly wallSeconds: number;
  /** CPU seconds and kernel calls per category, over all steps. */
  readonly categories: Map<string, { seconds: number; calls: number; kernels: Set<string> }>;
}

function profileGear(clock: KernelClock, width: number, gearIndex: number, steps: number): Profile {
  const arch = buildLadder('paper', { width, inputShape: [...INPUT_SHAPE], classes: CLASSES })[gearIndex]!;
  const model = buildModel(arch, 0);
  const variables = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
  const optimizer = tf.train.momentum(SGD.learningRate, SGD.momentum);
  const random = new Random(SGD.seed);
  const shard = randomShard(BATCH, random);
  const indices = Array.from({ length: BATCH }, (_, i) => i);
  const loss = (logits: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar => {
    clock.phase = 'loss';
    const value = tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
    clock.phase = 'backward';
    return value;
  };
  const step = () => {
    clock.phase = 'batch';
    const { x, y } = imageBatch(shard, indices, NORMALIZATION, indices.map(() => random.next() < 0.5));
    clock.phase = 'forward';
    let correct: tf.Scalar | undefined;
    tf.tidy(() => {
      const gradients = batchGradients(model, variables, x, y, loss);
      correct = gradients.correct;
      clock.phase = 'update';
      applySgdUpdate(optimizer, variables, gradients.grads, SGD.weightDecay);
    });
    correct?.dispose();
    tf.dispose([x, y]);
  };
  try {
    for (let k = 0; k < WARM_UP_STEPS; k++) step();
    clock.reset();
    const cpu = cpuSeconds();
    const wall = performance.now();
    for (let k = 0; k < steps; k++) step();
    const stepSeconds = cpuSeconds() - cpu;
    const wallSeconds = (performance.now() - wall) / 1000;
    const categories: Profile['categories'] = new Map();
    for (const [key, seconds] of clock.seconds) {
      const [phase, kernel] = key.split(' ') as [Phase, string];
      const name = category(phase, kernel);
      const entry = categories.get(name) ?? { seconds: 0, calls: 0, kernels: new Set<string>() };
      entry.seconds += seconds;
      entry.calls += clock.calls.get(key)!;
      entry.kernels.add(kernel);
      categories.set(name, entry);
    }
    return { width, convFlops: convolutionFlops(arch), gear: arch.name, steps, stepSeconds, wallSeconds, categories };
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}

/**
 * Floating-point operations (2 per multiply-add) of one step's convolutions at batch BATCH: each
 * convolution's forward pass and filter gradient, and every input gradient but the first layer's
 * (the images need none). Each costs the forward's multiply-adds.
 */
function convolutionFlops(arch: Architecture): number {
  const convs = layers(arch).filter((layer): layer is WeightLayer => layer.kind === 'conv');
  const multiplyAdds = convs.map((layer) => layer.outputShape[0]! * layer.outputShape[1]! * KERNEL_SIZE * KERNEL_SIZE * layer.inputs * layer.units);
  const total = multiplyAdds.reduce((sum, value) => sum + value, 0);
  return 2 * BATCH * (3 * total - (multiplyAdds[0] ?? 0));
}

/**
 * The best speed wasm reaches at all: GFLOP per CPU-second of a product of two random `size` x
 * `size` matrices (tfjs's \`BatchMatMul\`, XNNPACK's GEMM), after a warm-up product.
 */
function matMulGflops(size: number): number {
  const [a, b] = [tf.randomUniform([size, size], 0, 1, 'float32', 1), tf.randomUniform([size, size], 0, 1, 'float32', 2)];
  try {
    tf.matMul(a, b).dispose();
    let products = 0;
    const cpu = cpuSeconds();
    while (products < 3 || cpuSeconds() - cpu < 1) {
      tf.matMul(a, b).dispose();
      products += 1;
    }
    return (2 * size ** 3 * products) / (cpuSeconds() - cpu) / 1e9;
  } finally {
    tf.dispose([a, b]);
  }
}

function profileTable(profile: Profile, ceilingGflops: number): string {
  const perStep = (seconds: number) => (1000 * seconds) / profile.steps;
  const inKernels = [...profile.categories.values()].reduce((sum, entry) => sum + entry.seconds, 0);
  const rows = [...profile.categories.entries()]
    .sort((a, b) => b[1].seconds - a[1].seconds)
    .map(([name, entry]) => [
      name,
      [...entry.kernels].sort().join(', '),
      fixed(entry.calls / profile.steps, 0),
      fixed(perStep(entry.seconds), 2),
      `${fixed((100 * entry.seconds) / profile.stepSeconds, 0)}%`,
    ]);
  const outside = profile.stepSeconds - inKernels;
  rows.push(['JS outside the kernels: layers, tape, dispatch, tensor allocation and disposal', '', '', fixed(perStep(outside), 2), `${fixed((100 * outside) / profile.stepSeconds, 0)}%`]);
  rows.push(['**whole step**', '', '', `**${fixed(perStep(profile.stepSeconds), 2)}**`, '100%']);
  const convSeconds = ['forward: convolutions', 'backward: filter gradients', 'backward: input gradients'].reduce(
    (sum, name) => sum + (profile.categories.get(name)?.seconds ?? 0),
    0,
  );
  const convShare = convSeconds / profile.stepSeconds;
  const gflops = (profile.convFlops * profile.steps) / convSeconds / 1e9;
  return `#### ${profile.gear}, width ${profile.width}: ${fixed(perStep(profile.stepSeconds), 1)} CPU-ms a step, ${fixed((BATCH * profile.steps) / profile.stepSeconds, 0)} images per CPU-second (wall: ${fixed((1000 * profile.wallSeconds) / profile.steps, 1)} ms a step)

${table(['what', 'wasm kernels', 'calls a step', 'CPU-ms a step', 'share'], rows)}

The convolutions (forward, filter and input gradients: ${fixed(profile.convFlops / 1e9, 2)} GFLOP a step) take ${fixed(100 * convShare, 0)}% of the step and run at ${fixed(gflops, 1)} GFLOP per CPU-second.
At the matrix product's ${fixed(ceilingGflops, 1)} GFLOP per CPU-second they would take ${fixed((1000 * profile.convFlops) / ceilingGflops / 1e9, 1)} CPU-ms a step: with every other part of the step free, the ceiling is ${fixed((BATCH * ceilingGflops * 1e9) / profile.convFlops, 0)} images per CPU-second.`;
}

function parseSettings(): { widths: number[]; steps: number } {
  const { values } = parseArgs({ options: { widths: { type: 'string' }, steps: { type: 'string', default: '8' } } });
  const positive = (flag: string, text: string): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${flag} must be a positive integer, but got ${JSON.stringify(text)}.`);
    return value;
  };
  return {
    widths: values.widths?.split(',').map((text) => positive('widths', text)) ?? [getPreset('medium').width, getPreset('small').width],
    steps: positive('steps', values.steps),
  };
}

async function main(): Promise<void> {
  const settings = parseSettings();
  const started = new Date();
  const loadStart = os.loadavg();
  await selectBackend('wasm');
  progress(`a ${MATMUL_SIZE}x${MATMUL_SIZE} matrix product`);
  const ceilingGflops = matMulGflops(MATMUL_SIZE);
  const clock = new KernelClock();
  clock.wrapWasmKernels();
  const profiles: Profile[] = [];
  for (const width of settings.widths) {
    for (const gearIndex of [0, 1]) {
      progress(`width ${width}: profiling gear ${gearIndex}`);
      profiles.push(profileGear(clock, width, gearIndex, settings.steps));
    }
  }
  const body = `## Where a training step spends its time

Generated by \`${rerunCommand('dist/bench/training-profile.js')}\` (\`bench/training-profile.ts\`).

${machineLines({ started, loadStart, versions: `Node ${process.versions.node}, @tensorflow/tfjs-core ${tf.version_core}, @tensorflow/tfjs-backend-wasm ${tf.version_wasm}` })}

One SGD step of batch ${BATCH} (momentum ${SGD.momentum}, weight decay ${SGD.weightDecay}, random flips) on the wasm
backend, through the engine's own step: \`imageBatch\`, \`batchGradients\` (forward, loss,
backward) and \`applySgdUpdate\`; ${settings.steps} timed steps per gear after ${WARM_UP_STEPS} untimed ones. Every wasm kernel
is wrapped in a clock of this process's CPU time (not wall time: on a shared machine wall time
counts the other processes too), grouped by what it computes in which phase; fedgear's own
gradient kernels count once, with the kernels they call inside them. "JS outside the kernels" is
the step's CPU time that no kernel accounts for. Timing each kernel adds about two microseconds
a call.

The ceiling under every gear is the best speed wasm reaches at all in this tfjs: a
${MATMUL_SIZE}x${MATMUL_SIZE} matrix product (\`tf.matMul\`, XNNPACK's 128-bit wasm SIMD GEMM, which
the convolutions also run on), timed before the kernels are wrapped: ${fixed(ceilingGflops, 1)} GFLOP per CPU-second in this
run. Each gear's last line says how fast its step could be if every convolution ran at that speed
and nothing else took time.

${profiles.map((profile) => profileTable(profile, ceilingGflops)).join('\n\n')}`;
  writeSection('profile', body);
  console.log(body);
}

await main();
