import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The real `fedgear` binary at the repository root (tests run from dist/test/…). */
export const FEDGEAR_BIN = fileURLToPath(new URL('../../../bin/run.js', import.meta.url));

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs `fedgear ...args` to completion without blocking the test worker's event loop. */
export function fedgear(args: readonly string[], options: { cwd?: string } = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FEDGEAR_BIN, ...args], { cwd: options.cwd ?? REPO_ROOT, env: { ...process.env, COLUMNS: '200' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
