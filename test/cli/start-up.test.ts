import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isManifestStale, writeCommandManifest } from '../../src/cli/command-manifest.js';
import { FEDGEAR_BIN, recordImports, REPO_ROOT } from '../support/fedgear-cli.js';

const iid = 'test/fixtures/bundles/cifar10-iid-seed0';
const dirichlet = 'test/fixtures/bundles/cifar10-dirichlet05-seed0';
const out = mkdtempSync(join(tmpdir(), 'fedgear-start-up-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
// Just compiled, the manifest is stale and the first command would rewrite it, importing every command.
beforeAll(async () => {
  if (isManifestStale(REPO_ROOT)) await writeCommandManifest(REPO_ROOT);
});

const tensorflow = (imports: string[]) => imports.filter((url) => url.includes('/@tensorflow/') || url.startsWith('@tensorflow') || url.endsWith('/dist/src/vendor/tfjs.js'));
// oclif, rxjs, zod and simple-statistics must come bundled (src/vendor/), never as the packages' own files beside the bundles.
const unbundled = (imports: string[]) => imports.filter((url) => /\/node_modules\/(@oclif\/core|rxjs|zod|simple-statistics)\//.test(url));
const rxjs = (imports: string[]) => imports.filter((url) => url.includes('/rxjs/') || url === 'rxjs' || url.endsWith('/dist/src/vendor/rxjs.js'));
// oclif reads tsconfig.json with TypeScript when NODE_ENV is test or development unless told not to: the commands below run with the former.
const typescript = (imports: string[]) => imports.filter((url) => url.includes('/node_modules/typescript/'));
const commandModules = (imports: string[]) => imports.filter((url) => url.includes('/dist/src/commands/')).map((url) => url.replace(/.*\/dist\/src\/commands\//, ''));

describe('fedgear start-up', () => {
  it('sees TensorFlow.js when a script imports it (the check below can fail)', async () => {
    const { status, imports } = await recordImports(['--input-type=module', '-e', `await import(${JSON.stringify(join(REPO_ROOT, 'dist/src/vendor/tfjs.js'))});`]);
    expect(status).toBe(0);
    expect(tensorflow(imports)).not.toEqual([]);
    // Bundled, it is one file; the plain re-exports tsc writes import tfjs-core's ES modules, which Node cannot load.
    expect(imports.filter((url) => url.includes('/node_modules/@tensorflow/')), '`npm run build` bundles dist/src/vendor/tfjs.js').toEqual([]);
  });

  it.each(['@oclif/core', 'rxjs', 'zod', 'simple-statistics'])('sees %s unbundled when a script imports the package (the check below can fail)', async (name) => {
    const { status, imports } = await recordImports(['--input-type=module', '-e', `await import('${name}');`]);
    expect(status).toBe(0);
    expect(unbundled(imports)).not.toEqual([]);
  });

  it('sees TypeScript when a script requires it (the check below can fail)', async () => {
    const { status, imports } = await recordImports(['-e', "require('typescript')"]);
    expect(status).toBe(0);
    expect(typescript(imports)).not.toEqual([]);
  });

  it.each([
    { args: ['--version'], command: [] },
    { args: ['--help'], command: [] },
    { args: ['run', '--help'], command: [] },
    { args: ['policies'], command: ['policies.js'] },
    { args: ['models'], command: ['models.js'] },
    { args: ['replay', iid, '--policy', 'never'], command: ['replay.js'] },
    { args: ['tune', iid, dirichlet, '--policy', 'fixed', '--trials', '3'], command: ['tune.js'] },
    { args: ['report', iid, '--format', 'md', '--out', out], command: ['report.js'] },
  ])('fedgear $args loads no TensorFlow.js and no TypeScript, oclif, rxjs, zod and simple-statistics only bundled and, of the commands, only its own', async ({ args, command }) => {
    const { status, stderr, imports } = await recordImports([FEDGEAR_BIN, ...args], { NODE_ENV: 'test' });
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(tensorflow(imports)).toEqual([]);
    expect(unbundled(imports), 'dist/src/vendor/ holds the plain re-exports tsc writes: `npm run build` bundles them').toEqual([]);
    expect(commandModules(imports)).toEqual(command);
    expect(typescript(imports), 'oclif must not look for TypeScript sources (src/vendor/oclif-core.ts)').toEqual([]);
  });

  it('fedgear policies loads no rxjs either: the plugin API (fedgear/policy) is free of it', async () => {
    const { status, imports } = await recordImports([FEDGEAR_BIN, 'policies']);
    expect(status).toBe(0);
    expect(rxjs(imports)).toEqual([]);
    expect(imports.filter((url) => url.includes('/dist/policies/'))).not.toEqual([]);
  });

  it('fedgear replay loads rxjs (the check above can fail)', async () => {
    const { status, imports } = await recordImports([FEDGEAR_BIN, 'replay', iid, '--policy', 'never']);
    expect(status).toBe(0);
    expect(rxjs(imports)).not.toEqual([]);
  });

  it('refuses a bad training flag without loading TensorFlow.js', async () => {
    const { status, stderr, imports } = await recordImports([FEDGEAR_BIN, 'run', '--rounds', '0']);
    expect(status).toBe(2);
    expect(stderr).toContain('--rounds');
    expect(tensorflow(imports)).toEqual([]);
  });
});
