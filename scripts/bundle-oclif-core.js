#!/usr/bin/env node
// Bundles @oclif/core and its dependencies into dist/src/cli/oclif-core.js, over tsc's plain
// re-export of src/cli/oclif-core.ts (run by `npm run build`, after tsc): one module to read and
// compile instead of some 160 files, which is most of what `fedgear --version` spent starting.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/oclif-core.ts'],
  outfile: 'dist/src/cli/oclif-core.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  // oclif's development mode (ts-node, tsx, TypeScript's tsconfig reader, Yarn PnP) is optional: its requires stay requires.
  external: ['typescript', 'ts-node', 'tsx', 'pnpapi'],
  // The bundled CommonJS code calls require() for Node's own modules, which an ES module lacks.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  // oclif warns when Node is outside @oclif/core's own engines range, which costs loading semver on
  // every start; fedgear's package.json states the Node it needs (npm checks it at install).
  define: { 'process.env.OCLIF_DISABLE_ENGINE_WARNING': '"true"' },
});
console.log('bundled @oclif/core into dist/src/cli/oclif-core.js');
