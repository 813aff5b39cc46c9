/**
 * @oclif/core, the CLI framework, as every fedgear module imports it: the parts fedgear uses,
 * re-exported from this one file so that a process loads the framework once, in one piece.
 *
 * Why: @oclif/core is some 160 CommonJS files (semver alone 47), and resolving, reading and
 * compiling them one by one costs more than starting Node itself. `tsc` compiles this file to a
 * plain re-export (correct, but slow to start); `npm run build` then overwrites the compiled file
 * with @oclif/core and its dependencies bundled into one module (`scripts/bundle-vendor.js`).
 * Import the framework from here, never from '@oclif/core' directly: a second copy would be
 * loaded beside the bundle (`test/cli/start-up.test.ts` checks that none is).
 *
 * @example
 * import { Args, Flags } from '../vendor/oclif-core.js';
 */
import { settings } from '@oclif/core';

// fedgear's commands are always compiled JavaScript. Left undecided, oclif takes NODE_ENV=test or
// development (vitest sets the former) to mean "load the TypeScript sources", and reads
// tsconfig.json with TypeScript's own parser on every start: 2.7 times the start of `fedgear policies`.
settings.enableAutoTranspile = false;

export { Args, Command, CommandHelp, Errors, execute, Flags, Help, Parser, Plugin } from '@oclif/core';
export type { Interfaces } from '@oclif/core';
