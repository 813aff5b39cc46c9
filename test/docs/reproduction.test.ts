import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/fedgear-cli.js';

const STUDY = fileURLToPath(new URL('../../bench/study.js', import.meta.url));

describe('docs/reproduction.md', () => {
  it(
    "holds exactly the tables the study's recorded bundles give (report, replay and tune rerun on them)",
    async () => {
      const { status, stderr } = await new Promise<{ status: number | null; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [STUDY, '--check'], { cwd: REPO_ROOT });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.stdout.resume();
        child.on('error', reject);
        child.on('close', (code) => resolve({ status: code, stderr }));
      });
      expect(status, stderr).toBe(0);
      expect(stderr).toContain('docs/reproduction.md matches the recorded bundles');
    },
    300_000,
  );
});
