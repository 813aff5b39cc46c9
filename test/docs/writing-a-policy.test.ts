import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isManifestStale, writeCommandManifest } from '../../src/cli/command-manifest.js';
import { REPO_ROOT } from '../support/fedgear-cli.js';

/** The files of the quickstart: every code block whose info string names a path. */
function quickstartFiles(): Map<string, string> {
  const doc = readFileSync(join(REPO_ROOT, 'docs/writing-a-policy.md'), 'utf8');
  return new Map([...doc.matchAll(/```\w+ (\S+)\n([\s\S]*?)```/g)].map((match) => [match[1]!, match[2]!]));
}

// The project gets a clean environment: no npm or vitest settings of the run that tests fedgear.
const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('npm_') && !key.startsWith('VITEST') && key !== 'NODE_OPTIONS')),
  NO_COLOR: '1',
};

function sh(command: string, args: readonly string[], cwd: string): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ status: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

const fixture = join(REPO_ROOT, 'test/fixtures/bundles/synthetic-easy-seed0');

describe('docs/writing-a-policy.md, its quickstart followed in an empty directory', () => {
  it(
    'installs fedgear from this checkout, builds, passes the laws of fedgear/testing, and loads by path, by package name and from code',
    async () => {
      const files = quickstartFiles();
      expect([...files.keys()].sort()).toEqual(['package.json', 'replay.mjs', 'src/steady-target.ts', 'test/steady-target.test.ts', 'tsconfig.json']);
      const root = mkdtempSync(join(tmpdir(), 'fedgear-quickstart-'));
      // The package carries the command manifest: refresh it first, or the installed fedgear would list old commands.
      if (isManifestStale(REPO_ROOT)) await writeCommandManifest(REPO_ROOT);
      const packed = await sh('npm', ['pack', '--ignore-scripts', '--pack-destination', root], REPO_ROOT);
      expect(packed.status, packed.stderr).toBe(0);
      const tarball = join(root, packed.stdout.trim().split('\n').at(-1)!);

      const project = join(root, 'fedgear-policy-steady-target');
      for (const [path, text] of files) {
        mkdirSync(dirname(join(project, path)), { recursive: true });
        writeFileSync(join(project, path), text);
      }
      // fedgear comes from this checkout, not from a registry: the one change to the project.
      const manifest = JSON.parse(files.get('package.json')!) as { devDependencies: Record<string, string> };
      manifest.devDependencies['fedgear'] = `file:${tarball}`;
      writeFileSync(join(project, 'package.json'), JSON.stringify(manifest, null, 2));

      const run = async (command: string, ...args: string[]) => {
        const result = await sh(command, args, project);
        expect(result.status, `${command} ${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
        return result.stdout;
      };
      await run('npm', 'install', '--prefer-offline', '--no-audit', '--no-fund');
      await run('npx', 'tsc');
      expect(await run('npx', 'vitest', 'run')).toMatch(/Tests +2 passed \(2\)/);
      expect(await run('npx', 'fedgear', 'policies', '--policy', './dist/steady-target.js')).toContain('steady-target');

      const byPath = await run('npx', 'fedgear', 'replay', fixture, '--policy', './dist/steady-target.js', '--policy-opt', 'target=0.55', '--json');
      const shiftedAfter = (JSON.parse(byPath) as { bundles: { policy: { switchAfter: number | null } }[] }).bundles[0]!.policy.switchAfter;
      expect(await run('node', 'replay.mjs', join(fixture, 'small.jsonl'))).toMatch(shiftedAfter === null ? /^never shifts$/m : new RegExp(`^shifts after round ${shiftedAfter}: `, 'm'));

      // A user's project installs the package and names it.
      const consumer = join(root, 'experiments');
      mkdirSync(consumer);
      writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'experiments', private: true }));
      const installed = await sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--legacy-peer-deps', project], consumer);
      expect(installed.status, installed.stderr).toBe(0);
      const fedgearBin = join(project, 'node_modules/fedgear/bin/run.js');
      const byName = await sh(process.execPath, [fedgearBin, 'replay', fixture, '--policy', 'fedgear-policy-steady-target', '--policy-opt', 'target=0.55', '--json'], consumer);
      expect(byName.status, byName.stderr).toBe(0);
      expect((JSON.parse(byName.stdout) as { bundles: { policy: { switchAfter: number | null } }[] }).bundles[0]!.policy.switchAfter).toBe(shiftedAfter);
    },
    600_000,
  );
});
