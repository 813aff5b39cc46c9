#!/usr/bin/env node
// The development entry point: recompiles (incrementally), refreshes the command manifest and runs the commands.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b'], { cwd: root, stdio: 'inherit' });
const { isManifestStale, writeCommandManifest } = await import('../dist/src/cli/command-manifest.js');
const { execute } = await import('../dist/src/vendor/oclif-core.js');
if (isManifestStale(root)) await writeCommandManifest(root);
await execute({ development: true, dir: import.meta.url });
