/**
 * Sample-weighted federated averaging (McMahan et al., 2017, "Communication-Efficient Learning of
 * Deep Networks from Decentralized Data"): the new global weights are the clients' weights
 * averaged with weights proportional to how many samples each trained on.
 */

/** One client's result: its flat weights and the number of samples it trained on. */
export interface ClientUpdate {
  readonly weights: Float32Array;
  readonly samples: number;
}

/**
 * Averages client weights, each weighted by its sample count.
 *
 * @example
 * federatedAverage([{ weights: new Float32Array([0]), samples: 1 }, { weights: new Float32Array([3]), samples: 2 }]);
 * // Float32Array [2]
 */
export function federatedAverage(updates: readonly ClientUpdate[]): Float32Array {
  const first = updates[0];
  if (first === undefined) throw new Error('updates must be a non-empty list, but got 0 updates.');
  const size = first.weights.length;
  let samples = 0;
  for (const update of updates) {
    if (update.weights.length !== size) {
      throw new Error(`every update must have ${size} weights, but got ${update.weights.length}.`);
    }
    if (!(update.samples > 0)) throw new Error(`samples must be > 0, but got ${update.samples}.`);
    samples += update.samples;
  }
  // Accumulate in float64: summing float32 over many clients would lose precision.
  const sum = new Float64Array(size);
  for (const { weights, samples: n } of updates) {
    const share = n / samples;
    for (let i = 0; i < size; i++) sum[i]! += share * weights[i]!;
  }
  return Float32Array.from(sum);
}

/** One client's training metrics for a round and the number of samples they were measured on. */
export interface ClientTrainingMetrics {
  readonly loss: number;
  readonly accuracy: number;
  readonly samples: number;
}

/**
 * The round's training metrics: each client's mean training loss and accuracy, weighted by the
 * samples it trained on (so the result is the mean over every sample any client saw).
 *
 * @example
 * averageTrainingMetrics([{ loss: 1, accuracy: 0.5, samples: 1 }, { loss: 4, accuracy: 0.2, samples: 2 }]);
 * // { loss: 3, accuracy: 0.3 }
 */
export function averageTrainingMetrics(results: readonly ClientTrainingMetrics[]): { loss: number; accuracy: number } {
  const samples = results.reduce((sum, result) => sum + result.samples, 0);
  if (!(samples > 0)) throw new Error(`the clients' samples must add up to more than 0, but got ${samples}.`);
  let loss = 0;
  let accuracy = 0;
  for (const result of results) {
    loss += (result.samples / samples) * result.loss;
    accuracy += (result.samples / samples) * result.accuracy;
  }
  return { loss, accuracy };
}
