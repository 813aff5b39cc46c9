import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/fedgear-cli.js';

/** A checkout holding scripts/bundle-vendor.js and the given src/vendor/ modules (name: source). */
function checkout(vendorModules: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'fedgear-bundle-vendor-'));
  mkdirSync(join(root, 'scripts'));
  mkdirSync(join(root, 'src', 'vendor'), { recursive: true });
  copyFileSync(join(REPO_ROOT, 'scripts', 'bundle-vendor.js'), join(root, 'scripts', 'bundle-vendor.js'));
  for (const [name, source] of Object.entries(vendorModules)) writeFileSync(join(root, 'src', 'vendor', `${name}.ts`), source);
  return root;
}

/** One vendor module that scripts/bundle-vendor.js has no options for. */
const LEFT_PAD = { 'left-pad': "export { default } from 'left-pad';\n" };

function bundle(root: string): { status: number | null; stderr: string } {
  const { status, stderr } = spawnSync(process.execPath, [join(root, 'scripts', 'bundle-vendor.js')], { cwd: root, encoding: 'utf8' });
  return { status, stderr };
}

describe('scripts/bundle-vendor.js', () => {
  it('says to run npm install when esbuild is not installed', () => {
    const { status, stderr } = bundle(checkout(LEFT_PAD));
    expect(status).not.toBe(0);
    expect(stderr).toContain('esbuild must be installed to bundle src/vendor/ (run npm install), but got ');
  });

  it('fails, naming the file and the text, when a library no longer holds the source an edit replaces', () => {
    // An @oclif/core whose command list is sorted some other way than the edit expects.
    const root = checkout({ 'oclif-core': "export { Plugin } from '@oclif/core';\n" });
    const oclif = join(root, 'node_modules', '@oclif', 'core');
    mkdirSync(join(oclif, 'lib', 'config'), { recursive: true });
    writeFileSync(join(oclif, 'package.json'), JSON.stringify({ name: '@oclif/core', main: 'lib/index.js' }));
    writeFileSync(join(oclif, 'lib', 'index.js'), "exports.Plugin = require('./config/plugin.js').Plugin;\n");
    writeFileSync(join(oclif, 'lib', 'config', 'plugin.js'), 'exports.Plugin = class { sort(commands) { return commands.sort(); } };\n');
    symlinkSync(join(REPO_ROOT, 'node_modules', 'esbuild'), join(root, 'node_modules', 'esbuild'));
    const { status, stderr } = bundle(root);
    expect(status).not.toBe(0);
    expect(stderr).toContain(`${join(oclif, 'lib', 'config', 'plugin.js')} no longer contains ".sort((a, b) => a.id.localeCompare(b.id))": check the edit in scripts/bundle-vendor.js.`);
  });

  it('names a vendor module that has no bundle options', () => {
    const root = checkout(LEFT_PAD);
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'));
    const { status, stderr } = bundle(root);
    expect(status).not.toBe(0);
    expect(stderr).toContain('src/vendor/left-pad.ts must have its bundle options in scripts/bundle-vendor.js, but got none.');
  });
});
