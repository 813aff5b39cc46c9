/**
 * fedgear's public API: the only barrel. Internal modules import each other directly.
 */
export type { ImageSet } from './data/image-set.js';
