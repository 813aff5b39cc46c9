/**
 * TensorFlow.js as fedgear trains with it: tfjs-core with its gradients and chained ops, the layers
 * API and the cpu and wasm backends, re-exported from this one file. `npm run build` overwrites the
 * compiled file with one bundle of their ES modules (`scripts/bundle-vendor.js`): the
 * '@tensorflow/tfjs' package also loads the converter, tf.data and the WebGL backend, and Node
 * checks each of its CommonJS files for named exports, which cost every training process and
 * every worker thread about a third of a second before it trained anything. Import TensorFlow.js
 * from here, never from its packages directly (`test/vendor/vendor-imports.test.ts` checks it).
 *
 * tfjs keeps its engine and kernel registry in globals: `@tensorflow/tfjs-node`, which loads its own
 * copy of tfjs when installed, registers its backend with this copy's engine
 * (`src/backend/import-with-own-tfjs.ts`).
 *
 * @example
 * import * as tf from '../vendor/tfjs.js';
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';
export { version_wasm } from '@tensorflow/tfjs-backend-wasm';
export type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
