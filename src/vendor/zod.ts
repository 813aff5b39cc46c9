/**
 * zod, as every fedgear module imports it (`import * as z from '../vendor/zod.js'`): the schema
 * builders fedgear uses, re-exported from this one file. `npm run build` overwrites the compiled
 * file with just these, bundled (`scripts/bundle-vendor.js`): the 'zod' package is some 95
 * modules (its locales among them), which cost `fedgear replay` about as much as starting Node.
 * Import zod from here, never from 'zod' directly (`test/vendor/vendor-imports.test.ts` checks it), and
 * add what a new schema needs to the list.
 *
 * @example
 * import * as z from '../vendor/zod.js';
 * const Point = z.object({ x: z.number(), y: z.number() });
 */
export { array, boolean, discriminatedUnion, enum, literal, looseObject, nan, number, object, preprocess, record, string, union, unknown } from 'zod';
export type { infer, ZodType } from 'zod';
