import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/fedgear-cli.js';

/** A checkout holding scripts/bundle-vendor.js and one vendor module it has no options for; its node_modules only if asked. */
function checkout(withNodeModules: boolean): string {
  const root = mkdtempSync(join(tmpdir(), 'fedgear-bundle-vendor-'));
  mkdirSync(join(root, 'scripts'));
  mkdirSync(join(root, 'src', 'vendor'), { recursive: true });
  copyFileSync(join(REPO_ROOT, 'scripts', 'bundle-vendor.js'), join(root, 'scripts', 'bundle-vendor.js'));
  writeFileSync(join(root, 'src', 'vendor', 'left-pad.ts'), "export { default } from 'left-pad';\n");
  if (withNodeModules) symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'));
  return root;
}

function bundle(root: string): { status: number | null; stderr: string } {
  const { status, stderr } = spawnSync(process.execPath, [join(root, 'scripts', 'bundle-vendor.js')], { cwd: root, encoding: 'utf8' });
  return { status, stderr };
}

describe('scripts/bundle-vendor.js', () => {
  it('says to run npm install when esbuild is not installed', () => {
    const { status, stderr } = bundle(checkout(false));
    expect(status).not.toBe(0);
    expect(stderr).toContain('esbuild must be installed to bundle src/vendor/ (run npm install), but got ');
  });

  it('names a vendor module that has no bundle options', () => {
    const { status, stderr } = bundle(checkout(true));
    expect(status).not.toBe(0);
    expect(stderr).toContain('src/vendor/left-pad.ts must have its bundle options in scripts/bundle-vendor.js, but got none.');
  });
});
