#!/usr/bin/env node
// The installed entry point: runs the compiled commands in dist/.
import { fileURLToPath } from 'node:url';
import { isManifestStale, writeCommandManifest } from '../dist/src/cli/command-manifest.js';
import { execute } from '../dist/src/vendor/oclif-core.js';

// Rebuilt without `npm run build`: refresh the command manifest first. Should that fail (a
// read-only checkout, a command that does not import), oclif loads the commands itself and says why.
const root = fileURLToPath(new URL('..', import.meta.url));
if (isManifestStale(root)) await writeCommandManifest(root).catch(() => undefined);
await execute({ dir: import.meta.url });
