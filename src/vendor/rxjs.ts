/**
 * rxjs, as every fedgear module imports it: the operators and types fedgear uses, re-exported
 * from this one file. `npm run build` overwrites the compiled file with just these, bundled from
 * rxjs's ES modules (`scripts/bundle-vendor.js`): Node resolves the 'rxjs' package to its whole
 * CommonJS build (some 400 files), which costs `fedgear replay` more than starting Node does.
 * Import rxjs from here, never from 'rxjs' directly (`test/vendor/vendor-imports.test.ts` checks it), and
 * add what a new module needs to the list.
 *
 * @example
 * import { map, type Observable } from '../vendor/rxjs.js';
 */
export { catchError, concatMap, from, lastValueFrom, map, Observable, of, scan, Subject, takeWhile, tap, throwError, timeout, TimeoutError, toArray } from 'rxjs';
export type { OperatorFunction, Subscription } from 'rxjs';
