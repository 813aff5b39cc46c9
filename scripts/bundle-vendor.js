#!/usr/bin/env node
// Bundles each module of src/vendor/ (a third-party library, re-exported) with that library into
// one file, over what tsc compiled (run by `npm run build`, after tsc): one file to read and
// compile instead of a package's hundreds (and, where the library allows, only what the module
// re-exports), which was most of what `fedgear --version` and `fedgear replay` spent starting.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// A checkout whose node_modules predates esbuild (a devDependency) fails here, not at its first start.
const { build } = await import('esbuild').catch((error) => {
  throw new Error(`esbuild must be installed to bundle src/vendor/ (run npm install), but got ${error.message}`);
});

/** How each library is bundled, beyond the common options below. */
const BUNDLES = {
  'oclif-core': {
    platform: 'node',
    // oclif's development mode (ts-node, tsx, TypeScript's tsconfig reader, Yarn PnP) is optional: its requires stay requires.
    external: ['typescript', 'ts-node', 'tsx', 'pnpapi'],
    // Bundled CommonJS code calls require() for Node's own modules, which an ES module lacks.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    // oclif warns when Node is outside @oclif/core's own engines range, which costs loading semver
    // (47 files) on every start; fedgear's package.json states the Node it needs (npm checks it).
    define: { 'process.env.OCLIF_DISABLE_ENGINE_WARNING': '"true"' },
  },
  rxjs: {
    // Not 'node': for Node, rxjs's exports name its whole CommonJS build; its ES modules (the
    // "es2015" condition) let the bundle keep only what src/vendor/rxjs.ts re-exports.
    platform: 'neutral',
    conditions: ['es2015'],
  },
  zod: { platform: 'neutral' },
  tfjs: {
    platform: 'node',
    // One statement a line: the Emscripten glue rethrows uncaught exceptions from its own code, and
    // Node prints the source line it threw from, which whitespace minifying makes tens of kB long.
    minifyWhitespace: false,
    // Each package's ES modules (its "module" entry), not its one-file CommonJS build for Node.
    mainFields: ['module', 'main'],
    // Bundled CommonJS code (seedrandom, long, the wasm backend's Emscripten glue) calls require(),
    // and the glue finds its .wasm files beside itself through __dirname: both point where the
    // package is installed.
    banner: {
      js:
        "import { createRequire as __createRequire } from 'node:module'; import { dirname as __pathDirname } from 'node:path'; " +
        "const require = __createRequire(import.meta.url); const __dirname = __pathDirname(require.resolve('@tensorflow/tfjs-backend-wasm'));",
    },
  },
};

const root = fileURLToPath(new URL('..', import.meta.url));
const modules = readdirSync(new URL('../src/vendor/', import.meta.url)).filter((name) => name.endsWith('.ts')).map((name) => name.replace(/\.ts$/, ''));
for (const module of modules) {
  const options = BUNDLES[module];
  if (options === undefined) throw new Error(`src/vendor/${module}.ts must have its bundle options in scripts/bundle-vendor.js, but got none.`);
  const outfile = `dist/src/vendor/${module}.js`;
  await build({
    absWorkingDir: root,
    entryPoints: [`src/vendor/${module}.ts`],
    outfile,
    bundle: true,
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
    ...options,
  });
  console.log(`bundled ${outfile}`);
}
