import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isManifestStale, MANIFEST_FILE, writeCommandManifest } from '../../src/cli/command-manifest.js';
import { FEDGEAR_BIN, recordImports, REPO_ROOT } from '../support/fedgear-cli.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A package root holding the given files, each modified at the given second. */
function packageRoot(files: Record<string, number>): string {
  const root = mkdtempSync(join(tmpdir(), 'fedgear-manifest-'));
  roots.push(root);
  for (const [file, second] of Object.entries(files)) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), '{}');
    utimesSync(join(root, file), second, second);
  }
  return root;
}

describe('isManifestStale', () => {
  it('is false in an installed package (no tsc build record), even without a manifest', () => {
    expect(isManifestStale(packageRoot({ 'package.json': 100 }))).toBe(false);
  });

  it('is true when the manifest is missing', () => {
    expect(isManifestStale(packageRoot({ 'package.json': 100, 'dist/.tsbuildinfo': 100 }))).toBe(true);
  });

  it('is true when tsc compiled after the manifest was written', () => {
    expect(isManifestStale(packageRoot({ 'package.json': 100, 'dist/.tsbuildinfo': 300, [MANIFEST_FILE]: 200 }))).toBe(true);
  });

  it('is true when package.json changed after the manifest was written', () => {
    expect(isManifestStale(packageRoot({ 'package.json': 300, 'dist/.tsbuildinfo': 100, [MANIFEST_FILE]: 200 }))).toBe(true);
  });

  it('is false when the manifest is newer than both', () => {
    expect(isManifestStale(packageRoot({ 'package.json': 100, 'dist/.tsbuildinfo': 100, [MANIFEST_FILE]: 200 }))).toBe(false);
  });
});

describe('the command manifest', () => {
  it("lists every command with its flags, as @oclif/core generates it", async () => {
    const manifest = JSON.parse(readFileSync(await writeCommandManifest(REPO_ROOT), 'utf8')) as { version: string; commands: Record<string, { flags: Record<string, unknown> }> };
    expect(Object.keys(manifest.commands).sort()).toEqual(['client', 'data:fetch', 'decide', 'import', 'models', 'policies', 'replay', 'report', 'run', 'serve', 'sweep', 'tune', 'worker']);
    expect(Object.keys(manifest.commands['run']!.flags)).toContain('patience');
    expect(manifest.version).toBe(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version);
  });

  it('is rewritten by the first command after a compilation, and then spares the others every command import', async () => {
    // A package root of its own (this checkout's code, linked), so that no other test's command
    // rewrites the manifest between the two starts.
    const root = mkdtempSync(join(tmpdir(), 'fedgear-manifest-'));
    roots.push(root);
    mkdirSync(join(root, 'bin'));
    copyFileSync(FEDGEAR_BIN, join(root, 'bin', 'run.js'));
    copyFileSync(join(REPO_ROOT, 'package.json'), join(root, 'package.json'));
    for (const linked of ['dist', 'node_modules']) symlinkSync(join(REPO_ROOT, linked), join(root, linked));
    const path = join(root, MANIFEST_FILE);
    expect(isManifestStale(root)).toBe(true);
    const first = await recordImports([join(root, 'bin', 'run.js'), '--version']);
    expect(first.status).toBe(0);
    expect(first.imports.filter((url) => url.includes('/dist/src/commands/run.js'))).not.toEqual([]);
    expect(statSync(path).mtimeMs).toBeGreaterThan(0);
    expect(isManifestStale(root)).toBe(false);
    const second = await recordImports([join(root, 'bin', 'run.js'), '--version']);
    expect(second.status).toBe(0);
    expect(second.imports.filter((url) => url.includes('/dist/src/commands/'))).toEqual([]);
  });
});
