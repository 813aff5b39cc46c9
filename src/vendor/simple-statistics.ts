/**
 * simple-statistics, as fedgear's modules and built-in policies import it: the functions they use,
 * re-exported from this one file. `npm run build` overwrites the compiled file with just these,
 * bundled from the package's ES module (`scripts/bundle-vendor.js`): the package is one 170 kB
 * module that also fills its statistical tables when it loads, which `fedgear policies` and
 * `fedgear replay` paid on every start. Import simple-statistics from here, never from
 * 'simple-statistics' directly (`test/vendor/vendor-imports.test.ts` checks it), and add what a new
 * module needs to the list.
 *
 * @example
 * import { linearRegression } from '../vendor/simple-statistics.js';
 */
export { linearRegression, mean, median } from 'simple-statistics';
