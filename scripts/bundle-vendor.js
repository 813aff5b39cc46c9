#!/usr/bin/env node
// Bundles each module of src/vendor/ (a third-party library, re-exported) with that library into
// one file, over what tsc compiled (run by `npm run build`, after tsc): one file to read and
// compile instead of a package's hundreds (and, where the library allows, only what the module
// re-exports), which was most of what `fedgear --version` and `fedgear replay` spent starting.
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
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
    edits: [
      {
        // Sorting the command list with localeCompare loads ICU's collation tables on every start
        // (about 10 ms, a tenth of starting Node); command ids are ASCII, so code-unit order is the same.
        file: '@oclif/core/lib/config/plugin.js',
        find: '.sort((a, b) => a.id.localeCompare(b.id))',
        replace: '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))',
      },
    ],
  },
  rxjs: {
    // Not 'node': for Node, rxjs's exports name its whole CommonJS build; its ES modules (the
    // "es2015" condition) let the bundle keep only what src/vendor/rxjs.ts re-exports.
    platform: 'neutral',
    conditions: ['es2015'],
  },
  zod: { platform: 'neutral' },
  // Its ES module (the "import" condition), so the bundle keeps only what is re-exported.
  'simple-statistics': { platform: 'neutral' },
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

/**
 * An esbuild plugin making each edit (one exact piece of a library's source replaced) as it bundles
 * the file, and failing the build when the piece is gone, so an upgraded library is looked at again.
 */
function sourceEdits(edits) {
  return {
    name: 'source-edits',
    setup(build) {
      for (const { file, find, replace } of edits) {
        build.onLoad({ filter: new RegExp(`node_modules/${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`) }, async ({ path }) => {
          const source = await readFile(path, 'utf8');
          if (!source.includes(find)) throw new Error(`${path} no longer contains ${JSON.stringify(find)}: check the edit in scripts/bundle-vendor.js.`);
          return { contents: source.replace(find, replace), loader: 'js' };
        });
      }
    },
  };
}

const root = fileURLToPath(new URL('..', import.meta.url));
const modules = readdirSync(new URL('../src/vendor/', import.meta.url)).filter((name) => name.endsWith('.ts')).map((name) => name.replace(/\.ts$/, ''));
for (const module of modules) {
  if (BUNDLES[module] === undefined) throw new Error(`src/vendor/${module}.ts must have its bundle options in scripts/bundle-vendor.js, but got none.`);
  const { edits = [], ...options } = BUNDLES[module];
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
    plugins: [sourceEdits(edits)],
    ...options,
  });
  console.log(`bundled ${outfile}`);
}
