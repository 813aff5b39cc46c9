/**
 * Function-preserving growth (Net2Net: Chen, Goodfellow and Shlens, 2016, "Net2Net: Accelerating
 * Learning via Knowledge Transfer"): the weights of a larger gear computed from a smaller one's so
 * that, at the switch, the larger model gives the same logits as the smaller one, to float
 * rounding. Training then continues from where the small model was instead of from scratch.
 *
 * Two moves, both exact:
 * - widening: unit j of a widened layer copies the incoming weights and bias of old unit
 *   j mod n, so every old unit has one or more copies computing its value; the old unit's
 *   outgoing weights (the next layer's weights from it) are split among its copies in fractions
 *   summing to 1, so the next layer receives the same sum.
 * - deepening: an inserted ReLU conv (or dense) layer with as many outputs as inputs starts as
 *   the identity (kernel 1 at the centre tap from channel i to channel i, 0 elsewhere, zero
 *   bias). Its input comes after a ReLU (directly or through max-pools and the flatten), so it is
 *   non-negative and ReLU(identity(x)) = x exactly.
 *
 * Pools are never added or removed (a pool is not the identity), and the flatten keeps the
 * spatial grid, so there the growth maps channels per position, in NHWC order.
 */
import { Random } from '../data/random.js';
import { countParameters, isWeightLayer, KERNEL_SIZE, kernelSize, layers, type Architecture, type Layer, type WeightLayer } from './architecture.js';

/**
 * Whether `to` is a function-preserving growth of `from`: same input shape, classes and pools;
 * each `from` layer matched, in order, by a `to` layer of the same kind at least as wide; each
 * other `to` layer a ReLU conv or dense layer with as many outputs as inputs, after the first
 * weight layer (so that it can start as the identity).
 *
 * @example
 * const [small, large] = buildLadder('paper', { width: 16, inputShape: [32, 32, 3], classes: 10 });
 * canGrow(small, large); // true
 * canGrow(large, small); // false
 */
export function canGrow(from: Architecture, to: Architecture): boolean {
  return typeof planGrowth(from, to) !== 'string';
}

/**
 * The flat weights (as `flattenWeights` lays them out) of `to` computing the same function as
 * `from` with `weights`. `seed` draws the fractions that split each widened unit's outgoing
 * weights among its copies. Pure: no tensors involved.
 *
 * @example
 * const grownWeights = growWeights(small, large, flattenWeights(smallModel), 7);
 * loadWeights(largeModel, grownWeights); // largeModel.predict(x) ≈ smallModel.predict(x)
 */
export function growWeights(from: Architecture, to: Architecture, weights: Float32Array, seed: number): Float32Array {
  const expected = countParameters(from);
  if (weights.length !== expected) {
    throw new Error(`weights must be ${expected} float32 values (the parameters of ${from.name}), but got ${weights.length}.`);
  }
  const plan = planGrowth(from, to);
  if (typeof plan === 'string') throw new Error(plan);
  const random = new Random(seed);
  const grown = new Float32Array(countParameters(to));
  let read = 0;
  let write = 0;
  // Unit u of the current `to` activation carries the value of unit map[u] of the `from`
  // activation; the next layer's weights from it are scaled by share[u].
  let map: Int32Array = Int32Array.from({ length: from.inputShape[2] }, (_, u) => u);
  let share: Float64Array = new Float64Array(map.length).fill(1);
  for (const step of plan) {
    if (step.kind === 'insert') {
      writeIdentity(step.to, grown, write);
      write += kernelSize(step.to) + step.to.units;
    } else if (step.to.kind === 'flatten') {
      const positions = step.to.outputShape[0]! / map.length;
      [map, share] = flattenUnits(map, share, positions, step.from.outputShape[0]! / positions);
    } else if (isWeightLayer(step.from) && isWeightLayer(step.to)) {
      const { copyOf, outgoingShare } = widen(step.from.units, step.to.units, random);
      carryLayer(step.from, step.to, weights.subarray(read), grown.subarray(write), map, share, copyOf);
      read += kernelSize(step.from) + step.from.units;
      write += kernelSize(step.to) + step.to.units;
      [map, share] = [copyOf, outgoingShare];
    }
    // A pool acts on each channel alone, so it leaves the unit map as it is.
  }
  return grown;
}

/** A `from` layer carried over to a `to` layer, or a `to` layer inserted as the identity. */
type Step = { readonly kind: 'match'; readonly from: Layer; readonly to: Layer } | { readonly kind: 'insert'; readonly to: WeightLayer };

/**
 * How `from`'s layers map onto `to`'s, or the error message saying why they cannot. A small
 * search rather than a greedy scan: matching each `from` layer to the first wide-enough `to`
 * layer can strand a later layer that only an earlier choice would have made insertable.
 */
function planGrowth(from: Architecture, to: Architecture): Step[] | string {
  const shape = (arch: Architecture): string => arch.inputShape.join('x');
  const refuse = (reason: string): string =>
    `${to.name} must be a function-preserving growth of ${from.name} (same input, classes and pools; every ${from.name} ` +
    `layer matched by one at least as wide; every added layer a ReLU conv or dense with as many outputs as inputs, after ` +
    `the first weight layer), but got ${reason}.`;
  if (shape(from) !== shape(to)) return refuse(`input ${shape(from)} -> ${shape(to)}`);
  if (from.classes !== to.classes) return refuse(`classes ${from.classes} -> ${to.classes}`);
  const source = layers(from);
  const target = layers(to);
  const dead = new Set<string>();
  const search = (i: number, j: number): Step[] | undefined => {
    if (j === target.length) return i === source.length ? [] : undefined;
    if (dead.has(`${i},${j}`)) return undefined;
    const here = target[j]!;
    const there = source[i];
    if (there !== undefined && carries(there, here)) {
      const rest = search(i + 1, j + 1);
      if (rest !== undefined) return [{ kind: 'match', from: there, to: here }, ...rest];
    }
    if (isWeightLayer(here) && here.relu && here.inputs === here.units && j > firstWeightLayer(target)) {
      const rest = search(i, j + 1);
      if (rest !== undefined) return [{ kind: 'insert', to: here }, ...rest];
    }
    dead.add(`${i},${j}`);
    return undefined;
  };
  return search(0, 0) ?? refuse(`${outline(from)} -> ${outline(to)}`);
}

function carries(from: Layer, to: Layer): boolean {
  if (from.kind !== to.kind) return false;
  if (!isWeightLayer(from) || !isWeightLayer(to)) return true;
  // Hidden layers may widen; the output layer has one unit per class on both sides.
  return from.relu === to.relu && to.units >= from.units && (from.relu || to.units === from.units);
}

function firstWeightLayer(sequence: readonly Layer[]): number {
  return sequence.findIndex(isWeightLayer);
}

/** E.g. "conv 16 16 | pool | conv 32 32 | pool | dense 128 | logits 10". */
function outline(arch: Architecture): string {
  const parts = arch.stages.flatMap((stage) => [
    ...(stage.convs.length > 0 ? [`conv ${stage.convs.join(' ')}`] : []),
    ...(stage.pool ? ['pool'] : []),
  ]);
  if (arch.dense.length > 0) parts.push(`dense ${arch.dense.join(' ')}`);
  parts.push(`logits ${arch.classes}`);
  return parts.join(' | ');
}

/**
 * Which old unit each of `units` new units copies, and each copy's share of its old unit's
 * outgoing weights.
 *
 * Copies are assigned round-robin (j mod n) so that every old unit gets as many copies as any
 * other, give or take one.
 *
 * The shares are random (uniform in [0.5, 1.5), normalised over the copies of each unit) rather
 * than equal. Equal halves keep the function too, but then two copies have identical incoming
 * and identical outgoing weights, so they receive identical gradients on every step, and
 * averaging identical clients (FedAvg) keeps them identical: the copies would stay one feature
 * forever and the widening would add parameters but no capacity. With unequal shares the copies'
 * outgoing weights differ, backpropagation gives each copy a differently scaled gradient, and
 * their incoming weights drift apart from the first step. Shares bounded away from 0 keep every
 * copy in play (a copy with a tiny share would get a tiny gradient).
 */
function widen(old: number, units: number, random: Random): { copyOf: Int32Array; outgoingShare: Float64Array } {
  const copyOf = Int32Array.from({ length: units }, (_, j) => j % old);
  const outgoingShare = new Float64Array(units);
  const total = new Float64Array(old);
  const copies = new Int32Array(old);
  for (let j = 0; j < units; j++) copies[copyOf[j]!]!++;
  for (let j = 0; j < units; j++) {
    // A unit with a single copy keeps share 1 exactly, so unwidened layers are carried bit for bit.
    outgoingShare[j] = copies[copyOf[j]!]! === 1 ? 1 : 0.5 + random.next();
    total[copyOf[j]!]! += outgoingShare[j]!;
  }
  for (let j = 0; j < units; j++) outgoingShare[j]! /= total[copyOf[j]!]!;
  return { copyOf, outgoingShare };
}

/**
 * The unit map and shares after an NHWC flatten: the unit at position p, channel c is unit
 * p * channels + c, on both sides, so each position repeats the channel map of the layer below.
 */
function flattenUnits(map: Int32Array, share: Float64Array, positions: number, fromChannels: number): [Int32Array, Float64Array] {
  const channels = map.length;
  const flatMap = new Int32Array(positions * channels);
  const flatShare = new Float64Array(positions * channels);
  for (let p = 0; p < positions; p++) {
    for (let c = 0; c < channels; c++) {
      flatMap[p * channels + c] = p * fromChannels + map[c]!;
      flatShare[p * channels + c] = share[c]!;
    }
  }
  return [flatMap, flatShare];
}

/**
 * Writes `to`'s kernel and bias at the start of `target` from `from`'s at the start of `source`:
 * input unit i of `to` carries old input map[i], so its weights are old row map[i] scaled by
 * share[i]; output unit j copies old unit copyOf[j]. Kernels are [taps, inputs, units] row-major.
 */
function carryLayer(
  from: WeightLayer,
  to: WeightLayer,
  source: Float32Array,
  target: Float32Array,
  map: Int32Array,
  share: Float64Array,
  copyOf: Int32Array,
): void {
  for (let t = 0; t < tapsOf(to); t++) {
    for (let i = 0; i < to.inputs; i++) {
      const sourceRow = (t * from.inputs + map[i]!) * from.units;
      const targetRow = (t * to.inputs + i) * to.units;
      for (let j = 0; j < to.units; j++) target[targetRow + j] = source[sourceRow + copyOf[j]!]! * share[i]!;
    }
  }
  const [sourceBias, targetBias] = [kernelSize(from), kernelSize(to)];
  for (let j = 0; j < to.units; j++) target[targetBias + j] = source[sourceBias + copyOf[j]!]!;
}

/** Writes an inserted layer's identity kernel (1 at the centre tap, channel i to i) and zero bias. */
function writeIdentity(layer: WeightLayer, target: Float32Array, offset: number): void {
  const centre = (tapsOf(layer) - 1) / 2;
  const n = layer.units;
  for (let i = 0; i < n; i++) target[offset + (centre * n + i) * n + i] = 1;
}

function tapsOf(layer: WeightLayer): number {
  return layer.kind === 'conv' ? KERNEL_SIZE * KERNEL_SIZE : 1;
}
