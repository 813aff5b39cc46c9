/**
 * Convolution gradients for the wasm backend, each expressed as convolutions run by the backend's
 * own XNNPACK `Conv2D`.
 *
 * tfjs-backend-wasm 4.22 has no `Conv2DBackpropFilter` (training a CNN throws) and its
 * `Conv2DBackpropInput` is scalar loops. Both gradients are correlations of the forward operands,
 * so they can be rewritten as one forward convolution each:
 * - filter gradient: batch and channels of `x` swap places, `dy` becomes the filter (dilated by the
 *   forward stride) and the forward dilation becomes the stride;
 * - input gradient: `dy` (zero-upsampled by the forward stride) is convolved with the spatially
 *   flipped filter whose in/out channels are swapped.
 * Every stride, dilation, padding (same, valid, number, explicit, any rounding) and data format is
 * covered by that rewrite; the plain stride-1 NHWC case needs nothing beyond transposes.
 */
import * as tf from '../vendor/tfjs.js';
import { KernelScope } from './kernel-scope.js';

type TensorInfo = tf.TensorInfo;
type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];
type Pad = 'valid' | 'same' | number | ExplicitPadding;

/** The attrs tfjs passes to both backprop kernels; `dilations` is absent when called by the gradient. */
interface ConvGradientAttrs {
  strides: [number, number] | number;
  pad: Pad;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dilations?: [number, number] | number;
}

/** Padding on the four sides of a 2-D convolution; a negative side means rows to drop instead. */
interface SidePads {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** Where the forward convolution reads, normalised to NHWC and independent of how `pad` was given. */
interface ForwardGeometry {
  info: tf.backend_util.Conv2DInfo;
  channelsFirst: boolean;
  /** Padding the forward pass actually reads: the bottom/right side follows from the output size. */
  used: SidePads;
}

const BACKEND = 'wasm';

function forwardGeometry(
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  attrs: ConvGradientAttrs,
): ForwardGeometry {
  const dataFormat = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat ?? 'NHWC');
  const info = tf.backend_util.computeConv2DInfo(
    xShape,
    filterShape,
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    dataFormat,
  );
  // With floor rounding the last input rows may go unread; with ceil the windows may run past the
  // declared padding. Deriving bottom/right from the output size makes both cases exact.
  const used: SidePads = {
    top: info.padInfo.top,
    left: info.padInfo.left,
    bottom:
      (info.outHeight - 1) * info.strideHeight + info.effectiveFilterHeight - info.inHeight - info.padInfo.top,
    right:
      (info.outWidth - 1) * info.strideWidth + info.effectiveFilterWidth - info.inWidth - info.padInfo.left,
  };
  return { info, channelsFirst: dataFormat === 'channelsFirst', used };
}

function assertShape(what: string, actual: readonly number[], expected: readonly number[]): void {
  if (actual.length !== expected.length || actual.some((size, i) => size !== expected[i])) {
    throw new Error(`${what} must be [${expected.join(',')}], but got [${actual.join(',')}].`);
  }
}

/**
 * NHWC convolution with per-side padding that may be negative (drop rows/columns of `x`), which
 * `Conv2D` itself does not accept.
 */
function padConv(
  scope: KernelScope,
  x: TensorInfo,
  filter: TensorInfo,
  pads: SidePads,
  strides: [number, number],
  dilations: [number, number],
): TensorInfo {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const cropTop = Math.max(0, -pads.top);
  const cropLeft = Math.max(0, -pads.left);
  const cropped = scope.slice(
    x,
    [0, cropTop, cropLeft, 0],
    [n, h - cropTop - Math.max(0, -pads.bottom), w - cropLeft - Math.max(0, -pads.right), c],
  );
  const pad: ExplicitPadding = [
    [0, 0],
    [Math.max(0, pads.top), Math.max(0, pads.bottom)],
    [Math.max(0, pads.left), Math.max(0, pads.right)],
    [0, 0],
  ];
  return scope.run('Conv2D', { x: cropped, filter }, { strides, pad, dilations, dataFormat: 'NHWC' });
}

/** Same data, another shape: for folding/unfolding dimensions without a copy. Never disposed itself. */
function view(info: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

function conv2DBackpropFilterWasm(args: Parameters<tf.KernelFunc>[0]): TensorInfo {
  const backend = args.backend as tf.KernelBackend;
  const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
  const attrs = args.attrs as unknown as ConvGradientAttrs & { filterShape: [number, number, number, number] };
  const { info, channelsFirst, used } = forwardGeometry(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs,
  );
  assertShape('Conv2DBackpropFilter dy shape', dy.shape, info.outShape);
  const scope = new KernelScope(backend, BACKEND);
  try {
    // dF[a,b,ci,co] = sum over n,i,j of x[n, i*s + a*d - pt, ...][ci] * dy[n,i,j,co]: a convolution
    // of x seen as [Ci, H, W, N] with dy seen as a [Ho, Wo, N, Co] filter whose taps sit s apart.
    const xT = scope.transpose(x, channelsFirst ? [1, 2, 3, 0] : [3, 1, 2, 0]);
    const dyT = scope.transpose(dy, channelsFirst ? [2, 3, 0, 1] : [1, 2, 0, 3]);
    // A negative used bottom/right pad means unread input rows: keep them (pad 0) and crop the
    // surplus output taps instead, which is the smaller tensor.
    const grad = padConv(
      scope,
      xT,
      dyT,
      { top: used.top, left: used.left, bottom: Math.max(0, used.bottom), right: Math.max(0, used.right) },
      [info.dilationHeight, info.dilationWidth],
      [info.strideHeight, info.strideWidth],
    );
    const { filterHeight: kh, filterWidth: kw, inChannels: ci, outChannels: co } = info;
    const [, gh, gw] = grad.shape as [number, number, number, number];
    if (gh < kh || gw < kw) {
      throw new Error(`Conv2DBackpropFilter spatial result must cover [${kh},${kw}], but got [${gh},${gw}].`);
    }
    const cropped = scope.slice(grad, [0, 0, 0, 0], [ci, kh, kw, co]);
    return scope.keep(scope.transpose(cropped, [1, 2, 0, 3]));
  } finally {
    scope.dispose();
  }
}

function conv2DBackpropInputWasm(args: Parameters<tf.KernelFunc>[0]): TensorInfo {
  const backend = args.backend as tf.KernelBackend;
  const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
  const attrs = args.attrs as unknown as ConvGradientAttrs & { inputShape: [number, number, number, number] };
  const { info, channelsFirst, used } = forwardGeometry(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs,
  );
  assertShape('Conv2DBackpropInput dy shape', dy.shape, info.outShape);
  const { batchSize: n, outHeight: ho, outWidth: wo, outChannels: co, strideHeight: sh, strideWidth: sw } = info;
  const scope = new KernelScope(backend, BACKEND);
  try {
    const dyNhwc = channelsFirst ? scope.transpose(dy, [0, 2, 3, 1]) : dy;
    // Zero-upsampling dy by the stride turns the strided case into the stride-1 one. Padding a
    // [N,Ho,1,Wo,1,Co] view after each singleton axis interleaves the zeros without a JS loop.
    let up = dyNhwc;
    if (sh > 1 || sw > 1) {
      const spread = scope.run(
        'PadV2',
        { x: view(dyNhwc, [n, ho, 1, wo, 1, co]) },
        { paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]], constantValue: 0 },
      );
      up = view(spread, [n, ho * sh, wo * sw, co]);
    }
    const flipped = scope.run('Reverse', { x: filter }, { dims: [0, 1] });
    const swapped = scope.transpose(flipped, [0, 1, 3, 2]);
    // dx[h] = sum over a of dyUp[h + pt - a*d] * f[a]: a correlation with the flipped filter whose
    // padding mirrors the forward one; the upsampled tail of s-1 zero rows is subtracted back.
    const effH = info.effectiveFilterHeight;
    const effW = info.effectiveFilterWidth;
    const pads: SidePads = {
      top: effH - 1 - used.top,
      left: effW - 1 - used.left,
      bottom: effH - 1 - used.bottom - (sh - 1),
      right: effW - 1 - used.right - (sw - 1),
    };
    const dx = padConv(scope, up, swapped, pads, [1, 1], [info.dilationHeight, info.dilationWidth]);
    return scope.keep(channelsFirst ? scope.transpose(dx, [0, 3, 1, 2]) : dx);
  } finally {
    scope.dispose();
  }
}

/**
 * Registers fast `Conv2DBackpropFilter` and `Conv2DBackpropInput` kernels for the `wasm` backend,
 * replacing the stock scalar input gradient. Safe to call more than once; call it before training
 * on wasm (the kernels need no backend setup, so before or after `tf.setBackend('wasm')` both work).
 *
 * @example
 * registerWasmConvGradients();
 * await tf.setBackend('wasm');
 * const grads = tf.grads((x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, 'same').sum());
 */
export function registerWasmConvGradients(): void {
  if (tf.getKernel(tf.Conv2DBackpropFilter, BACKEND)?.kernelFunc === conv2DBackpropFilterWasm) return;
  if (tf.getKernel(tf.Conv2DBackpropInput, BACKEND) !== undefined) {
    tf.unregisterKernel(tf.Conv2DBackpropInput, BACKEND);
  }
  tf.registerKernel({
    kernelName: tf.Conv2DBackpropFilter,
    backendName: BACKEND,
    kernelFunc: conv2DBackpropFilterWasm as tf.KernelFunc,
  });
  tf.registerKernel({
    kernelName: tf.Conv2DBackpropInput,
    backendName: BACKEND,
    kernelFunc: conv2DBackpropInputWasm as tf.KernelFunc,
  });
}
