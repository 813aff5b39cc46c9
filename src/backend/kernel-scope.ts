import * as tf from '../vendor/tfjs.js';

type TensorInfo = tf.TensorInfo;

/**
 * Runs a stock wasm kernel and remembers its output for disposal, so every exit path of a gradient
 * kernel frees its intermediates. Kernels are looked up on the backend named at construction.
 *
 * @example
 * const scope = new KernelScope(backend, 'wasm');
 * try { return scope.keep(scope.transpose(x, [1, 0])); } finally { scope.dispose(); }
 */
export class KernelScope {
  private readonly owned: TensorInfo[] = [];

  constructor(
    private readonly backend: tf.KernelBackend,
    private readonly backendName: string,
  ) {}

  /** Runs a registered kernel; its output is freed with the scope unless kept. */
  run(kernelName: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap = {}): TensorInfo {
    const kernel = tf.getKernel(kernelName, this.backendName);
    if (kernel === undefined) {
      throw new Error(`the ${this.backendName} backend kernel ${kernelName} must be registered, but got none.`);
    }
    const out = kernel.kernelFunc({ inputs, backend: this.backend, attrs }) as TensorInfo;
    this.owned.push(out);
    return out;
  }

  /** Frees `info` with the scope: for outputs of kernels not run through {@link run}. */
  adopt(info: TensorInfo): TensorInfo {
    this.owned.push(info);
    return info;
  }

  /** Hands `info` to the caller: it is no longer disposed with the scope. */
  keep(info: TensorInfo): TensorInfo {
    const at = this.owned.indexOf(info);
    if (at >= 0) this.owned.splice(at, 1);
    return info;
  }

  /** Frees every output not kept. */
  dispose(): void {
    for (const info of this.owned) this.backend.disposeData(info.dataId);
    this.owned.length = 0;
  }

  /** Transpose kernel shorthand. */
  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  /** Slice kernel shorthand; the whole tensor is returned as is. */
  slice(x: TensorInfo, begin: number[], size: number[]): TensorInfo {
    const whole = begin.every((b) => b === 0) && size.every((s, i) => s === x.shape[i]);
    return whole ? x : this.run('Slice', { x }, { begin, size });
  }
}
