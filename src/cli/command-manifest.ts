/**
 * oclif's command manifest, `oclif.manifest.json` at the package root: every command's id, flags
 * and help text, so that `fedgear --help`, `fedgear --version` and each command start without
 * importing every command module (and whatever those import). Without it oclif imports them all
 * on every start.
 *
 * The manifest is what @oclif/core itself generates (its `Plugin` loader with the manifest
 * ignored, as the `oclif manifest` tool does); this module only writes it and decides when it is
 * stale. `npm run build` writes it; `bin/run.js` rewrites it when the compiled commands are newer,
 * so a checkout rebuilt with a bare `tsc -b` never runs new commands against old help.
 */
import { renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Plugin } from '../vendor/oclif-core.js';

/** The manifest's file name, at the package root (where oclif looks for it). */
export const MANIFEST_FILE = 'oclif.manifest.json';

/** tsc's build record: `tsc -b` rewrites it whenever it compiles anything. Absent from installed packages. */
const BUILD_RECORD = join('dist', '.tsbuildinfo');

function modifiedMs(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * Whether the manifest is missing or older than the last compilation or package.json (its
 * version must match the package's). An installed package, without tsc's build record, is never
 * stale.
 *
 * @example
 * if (isManifestStale(root)) await writeCommandManifest(root);
 */
export function isManifestStale(root: string): boolean {
  const built = modifiedMs(join(root, BUILD_RECORD));
  if (built === undefined) return false;
  const manifest = modifiedMs(join(root, MANIFEST_FILE));
  return manifest === undefined || manifest < built || manifest < (modifiedMs(join(root, 'package.json')) ?? 0);
}

/**
 * Generates the manifest of the package at `root` with @oclif/core (importing every command once)
 * and writes it atomically, so that concurrent starts never read half a file. Resolves to its path.
 *
 * @example
 * await writeCommandManifest('/path/to/fedgear'); // '/path/to/fedgear/oclif.manifest.json'
 */
export async function writeCommandManifest(root: string): Promise<string> {
  const plugin = new Plugin({ root, type: 'core', ignoreManifest: true, errorOnManifestCreate: true, respectNoCacheDefault: true });
  await plugin.load();
  const path = join(root, MANIFEST_FILE);
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, `${JSON.stringify(plugin.manifest, null, 2)}\n`);
  renameSync(partial, path);
  return path;
}
