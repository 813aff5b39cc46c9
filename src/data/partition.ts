import type { ImageSet } from './image-set.js';
import { Random } from './random.js';
import { selectImages } from './select-images.js';

/**
 * How the clients' images are drawn: independently of class, or class-skewed by Dirichlet(alpha).
 *
 * @example
 * const skewed: PartitionScheme = { kind: 'dirichlet', alpha: 0.5 };
 */
export type PartitionScheme = { readonly kind: 'iid' } | { readonly kind: 'dirichlet'; readonly alpha: number };

/**
 * Sizes of every party, in images, and how to draw them.
 *
 * @example
 * const plan: PartitionPlan = { server: 300, validation: 300, clients: 3, perClient: 400, test: 500, scheme: { kind: 'iid' }, seed: 1 };
 */
export interface PartitionPlan {
  /** Server share, used only for distillation and server pre-training. */
  readonly server: number;
  /** Held-out training images that policies monitor. */
  readonly validation: number;
  readonly clients: number;
  readonly perClient: number;
  /** Test images, used only for reporting. */
  readonly test: number;
  readonly scheme: PartitionScheme;
  readonly seed: number;
}

/**
 * Per-channel mean and standard deviation, in 0..1 pixel units.
 *
 * @example
 * const normalized = (byte / 255 - stats.mean[c]!) / stats.std[c]!;
 */
export interface ChannelStatistics {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/**
 * The parties of one federated run, each on SharedArrayBuffer-backed buffers.
 *
 * @example
 * const { server, validation, clients, test, normalization }: FederatedData = partition(train, testSet, plan);
 */
export interface FederatedData {
  /** Distillation (and server pre-training) only. */
  readonly server: ImageSet;
  /** What policies see; drawn from the training set, never from the test set. */
  readonly validation: ImageSet;
  readonly clients: readonly ImageSet[];
  /** Reporting only. */
  readonly test: ImageSet;
  /** From the clients' and the server's images: the images a real deployment could measure. */
  readonly normalization: ChannelStatistics;
}

/**
 * Splits a training set into server, validation and client shares and draws the reported test
 * images, following the staged-FL paper's setting. All shares are disjoint; every draw comes from
 * a shuffle seeded by `plan.seed`.
 *
 * Server and validation are the first images of the shuffled training set, so they follow its
 * class distribution. The clients draw from all the rest:
 * - `iid`: each client takes the next `perClient` shuffled images.
 * - `dirichlet`: for every class c, client shares q_c ~ Dir(alpha) are drawn (Hsu et al., 2019),
 *   so client k wants class c in proportion to q_c[k] times the images of c available. Clients
 *   then take one image in turn, each picking a class by its wants among the classes not yet
 *   used up. Every client gets exactly `perClient` images; when the classes a client wants run
 *   out, it takes from those left (in proportion to its wants, and to what is left when it wants
 *   none of them), so on a pool nearly used up the skew is milder than Dir(alpha) alone gives.
 *   Smaller alpha, stronger skew; alpha around 100 is close to IID.
 *
 * The test images are the first `plan.test` of a seeded shuffle of the test set.
 *
 * @example
 * const data = partition(train, test, {
 *   server: 2000, validation: 1000, clients: 3, perClient: 2000, test: 2000,
 *   scheme: { kind: 'dirichlet', alpha: 0.5 }, seed: 7,
 * });
 */
export function partition(train: ImageSet, test: ImageSet, plan: PartitionPlan): FederatedData {
  check(train, test, plan);
  const random = new Random(plan.seed);
  const order = random.shuffle(Array.from({ length: train.count }, (_, i) => i));
  const server = order.slice(0, plan.server);
  const validation = order.slice(plan.server, plan.server + plan.validation);
  const pool = order.slice(plan.server + plan.validation);
  const clientIndices =
    plan.scheme.kind === 'iid'
      ? Array.from({ length: plan.clients }, (_, k) => pool.slice(k * plan.perClient, (k + 1) * plan.perClient))
      : dirichletShares(train, pool, plan.clients, plan.perClient, plan.scheme.alpha, random);
  const testOrder = random.shuffle(Array.from({ length: test.count }, (_, i) => i)).slice(0, plan.test);
  const clients = clientIndices.map((indices) => selectImages(train, indices));
  const serverSet = selectImages(train, server);
  return {
    server: serverSet,
    validation: selectImages(train, validation),
    clients,
    test: selectImages(test, testOrder),
    normalization: channelStatistics([serverSet, ...clients]),
  };
}

function dirichletShares(
  train: ImageSet,
  pool: readonly number[],
  clients: number,
  perClient: number,
  alpha: number,
  random: Random,
): number[][] {
  const byClass: number[][] = Array.from({ length: train.classes }, () => []);
  for (const index of pool) byClass[train.labels[index]!]!.push(index);
  const taken = new Array<number>(train.classes).fill(0);
  const shares = byClass.map(() => random.dirichlet(alpha, clients));
  const wants = Array.from({ length: clients }, (_, k) => byClass.map((images, c) => shares[c]![k]! * images.length));
  const result: number[][] = Array.from({ length: clients }, () => []);
  const weights = new Array<number>(train.classes);
  for (let turn = 0; turn < perClient; turn++) {
    for (let k = 0; k < clients; k++) {
      let total = 0;
      for (let c = 0; c < train.classes; c++) {
        weights[c] = taken[c]! < byClass[c]!.length ? wants[k]![c]! : 0;
        total += weights[c]!;
      }
      if (total === 0) {
        for (let c = 0; c < train.classes; c++) {
          weights[c] = byClass[c]!.length - taken[c]!;
          total += weights[c]!;
        }
      }
      // The last class with weight stands in when rounding leaves target just above zero.
      let target = random.next() * total;
      let chosen = -1;
      for (let c = 0; c < train.classes && target >= 0; c++) {
        if (weights[c] === 0) continue;
        chosen = c;
        target -= weights[c]!;
      }
      result[k]!.push(byClass[chosen]![taken[chosen]!]!);
      taken[chosen]!++;
    }
  }
  return result;
}

/** Per-channel mean and std over all pixels of `sets`, in 0..1 units, std floored at 1/255. */
function channelStatistics(sets: readonly ImageSet[]): ChannelStatistics {
  const channels = sets[0]!.shape[2];
  const sum = new Float64Array(channels);
  const squares = new Float64Array(channels);
  let pixels = 0;
  for (const set of sets) {
    const { images } = set;
    for (let p = 0; p < images.length; p += channels) {
      for (let c = 0; c < channels; c++) {
        const value = images[p + c]!;
        sum[c]! += value;
        squares[c]! += value * value;
      }
    }
    pixels += images.length / channels;
  }
  const mean = Array.from(sum, (s) => s / pixels);
  const std = Array.from(squares, (s, c) => Math.max(1, Math.sqrt(Math.max(0, s / pixels - mean[c]! ** 2))));
  return { mean: mean.map((m) => m / 255), std: std.map((s) => s / 255) };
}

function check(train: ImageSet, test: ImageSet, plan: PartitionPlan): void {
  const count = (name: string, value: number, minimum: number): void => {
    if (!Number.isInteger(value) || value < minimum) throw new Error(`${name} must be an integer >= ${minimum}, but got ${value}.`);
  };
  count('server', plan.server, 0);
  count('validation', plan.validation, 1);
  count('clients', plan.clients, 1);
  count('perClient', plan.perClient, 1);
  count('test', plan.test, 1);
  if (!Number.isSafeInteger(plan.seed)) throw new Error(`seed must be an integer, but got ${plan.seed}.`);
  if (plan.scheme.kind === 'dirichlet' && !(plan.scheme.alpha > 0 && Number.isFinite(plan.scheme.alpha))) {
    throw new Error(`The Dirichlet alpha must be a positive finite number, but got ${plan.scheme.alpha}.`);
  }
  if (train.shape.join('x') !== test.shape.join('x') || train.classes !== test.classes) {
    throw new Error(
      `The test set must have the training set's image shape ${train.shape.join('x')} and ${train.classes} classes, ` +
        `but got ${test.shape.join('x')} and ${test.classes}.`,
    );
  }
  const needed = plan.server + plan.validation + plan.clients * plan.perClient;
  if (needed > train.count) {
    throw new Error(
      `server + validation + clients*perClient = ${plan.server} + ${plan.validation} + ${plan.clients}*${plan.perClient} = ` +
        `${needed} images needed, but the training set has ${train.count}.`,
    );
  }
  if (plan.test > test.count) {
    throw new Error(`test must be at most the test set's ${test.count} images, but got ${plan.test}.`);
  }
}
