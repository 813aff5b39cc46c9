#!/usr/bin/env node
// Writes oclif.manifest.json from the compiled commands (run by `npm run build`, after tsc).
import { fileURLToPath } from 'node:url';
import { writeCommandManifest } from '../dist/src/cli/command-manifest.js';

console.log(`wrote ${await writeCommandManifest(fileURLToPath(new URL('..', import.meta.url)))}`);
