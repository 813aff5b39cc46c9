/**
 * Transposed matrix products for the wasm backend, done as an explicit transpose and a plain
 * product. tfjs-backend-wasm 4.22's `BatchMatMul` is fast only without transposes; with
 * `transposeA` or `transposeB` (which every dense layer's gradient asks for) it runs 10-40x
 * slower, and dominated the large model's training step.
 */
import * as tf from '../vendor/tfjs.js';
import { KernelScope } from './kernel-scope.js';

const BACKEND = 'wasm';

interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

let stock: tf.KernelFunc | undefined;

function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1]!, perm[rank - 2]!];
  return perm;
}

function size(info: tf.TensorInfo): number {
  return info.shape.reduce((a, b) => a * b, 1);
}

function batchMatMulWasm(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const { transposeA, transposeB } = args.attrs as unknown as MatMulAttrs;
  const product = stock!;
  if (!transposeA && !transposeB) return product(args) as tf.TensorInfo;
  const backend = args.backend as tf.KernelBackend;
  const scope = new KernelScope(backend, BACKEND);
  const plain = (left: tf.TensorInfo, right: tf.TensorInfo) =>
    product({ inputs: { a: left, b: right }, backend, attrs: { ...args.attrs, transposeA: false, transposeB: false } }) as tf.TensorInfo;
  const swap = (x: tf.TensorInfo) => scope.transpose(x, swapLastTwo(x.shape.length));
  const owned = (x: tf.TensorInfo) => scope.adopt(x);
  try {
    // With one operand transposed, A op(B) also equals (op(B)^T A^T)^T, which transposes the other
    // operand and the result instead: cheaper when the transposed operand is the big weight matrix.
    const rows = a.shape[a.shape.length - (transposeA ? 1 : 2)]!;
    const cols = b.shape[b.shape.length - (transposeB ? 2 : 1)]!;
    const outSize = (size(a) / (a.shape.at(-1)! * a.shape.at(-2)!)) * rows * cols;
    if (transposeB && !transposeA && size(a) + outSize < size(b)) return scope.keep(swap(owned(plain(b, swap(a)))));
    if (transposeA && !transposeB && size(b) + outSize < size(a)) return scope.keep(swap(owned(plain(swap(b), a))));
    return plain(transposeA ? swap(a) : a, transposeB ? swap(b) : b);
  } finally {
    scope.dispose();
  }
}

/**
 * Replaces the wasm backend's `BatchMatMul` with one that transposes explicitly before the
 * stock (fast, untransposed) product. Safe to call more than once.
 *
 * @example
 * registerWasmMatMulTransposes();
 * await tf.setBackend('wasm');
 */
export function registerWasmMatMulTransposes(): void {
  const current = tf.getKernel(tf.BatchMatMul, BACKEND);
  if (current === undefined) throw new Error('the wasm backend must register BatchMatMul, but got none.');
  if (current.kernelFunc === batchMatMulWasm) return;
  stock = current.kernelFunc;
  tf.unregisterKernel(tf.BatchMatMul, BACKEND);
  // The stock kernel binds its wasm function in setupFunc when the backend starts: keep it.
  tf.registerKernel({
    kernelName: tf.BatchMatMul,
    backendName: BACKEND,
    kernelFunc: batchMatMulWasm as tf.KernelFunc,
    ...(current.setupFunc === undefined ? {} : { setupFunc: current.setupFunc }),
  });
}
