import * as tf from '../vendor/tfjs.js';
import { KERNEL_SIZE, layers, type Architecture } from './architecture.js';

/**
 * A fresh tfjs model for `arch`, its weights drawn from `seed`: He-normal kernels (each layer
 * from its own seed stream), zero biases. The output layer is linear: the model returns logits.
 *
 * He-normal rather than tfjs's default Glorot: a plain deep CNN without normalisation (the
 * 12-layer gear) stays at chance under FedAvg with Glorot, whose smaller variance makes the
 * signal shrink through every ReLU layer. There is no batch norm: its running statistics do not
 * survive FedAvg well.
 *
 * @example
 * const model = buildModel(buildLadder('paper', { width: 16, inputShape: [32, 32, 3], classes: 10 })[0]!, 42);
 * model.predict(tf.zeros([1, 32, 32, 3])); // Tensor [1, 10]
 */
export function buildModel(arch: Architecture, seed: number): tf.LayersModel {
  const model = tf.sequential({ name: arch.name });
  let weightLayer = 0;
  const first = (): { inputShape?: number[] } => (model.layers.length === 0 ? { inputShape: [...arch.inputShape] } : {});
  for (const layer of layers(arch)) {
    switch (layer.kind) {
      case 'conv':
      case 'dense': {
        const common = {
          ...first(),
          name: layer.name,
          activation: layer.relu ? ('relu' as const) : ('linear' as const),
          kernelInitializer: tf.initializers.heNormal({ seed: layerSeed(seed, weightLayer++) }),
          biasInitializer: 'zeros' as const,
        };
        model.add(
          layer.kind === 'conv'
            ? tf.layers.conv2d({ ...common, filters: layer.units, kernelSize: KERNEL_SIZE, padding: 'same' })
            : tf.layers.dense({ ...common, units: layer.units }),
        );
        break;
      }
      case 'pool':
        model.add(tf.layers.maxPooling2d({ ...first(), name: layer.name, poolSize: 2, strides: 2, padding: 'valid' }));
        break;
      case 'flatten':
        model.add(tf.layers.flatten({ ...first(), name: layer.name }));
        break;
    }
  }
  return model;
}

// Distinct, reproducible streams per layer: seed + index alone would give model 1's second
// layer the same stream as model 2's first.
function layerSeed(seed: number, index: number): number {
  return seed * 1009 + index;
}
