import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The real `fedgear` binary at the repository root (tests run from dist/test/…). */
export const FEDGEAR_BIN = fileURLToPath(new URL('../../../bin/run.js', import.meta.url));

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** What a finished `fedgear` process printed and returned. */
export interface FedgearResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running process: its handle, its stderr so far, and how it ends. */
export interface FedgearProcess {
  readonly child: ChildProcess;
  readonly stderr: () => string;
  readonly done: Promise<FedgearResult>;
}

/** Runs `fedgear ...args` to completion without blocking the test worker's event loop. */
export function fedgear(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<FedgearResult> {
  return startFedgear(args, options).done;
}

/** Starts `fedgear ...args` in the background (for tests that stop or kill it). */
export function startFedgear(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): FedgearProcess {
  return startNode([FEDGEAR_BIN, ...args], options);
}

/**
 * Background `fedgear` processes for one test file: `start` runs one with extra environment
 * variables, `killAll` (for `afterAll`) kills those still running.
 *
 * @example
 * const processes = fedgearProcesses(); // afterAll(() => processes.killAll())
 * const serve = processes.start(['serve', ...flags], { FEDGEAR_NATS_URL: url });
 */
export function fedgearProcesses(): { start(args: readonly string[], env?: NodeJS.ProcessEnv): FedgearProcess; killAll(): void } {
  const started: FedgearProcess[] = [];
  return {
    start(args, env = {}) {
      const process = startFedgear(args, { env });
      started.push(process);
      return process;
    },
    killAll() {
      for (const { child } of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** Runs `node ...argv` to completion without blocking the test worker's event loop. */
function node(argv: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<FedgearResult> {
  return startNode(argv, options).done;
}

function startNode(argv: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv }): FedgearProcess {
  const child = spawn(process.execPath, argv, { cwd: options.cwd ?? REPO_ROOT, env: { ...process.env, COLUMNS: '200', ...options.env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<FedgearResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
  return { child, stderr: () => stderr, done };
}

/**
 * Runs `node ...argv` (in the repository root, `env` added to this process's environment) and
 * returns, besides its output, every module it loaded (see record-imports.ts).
 *
 * @example
 * const { imports } = await recordImports([FEDGEAR_BIN, 'policies']);
 * expect(imports.filter((url) => url.includes('@tensorflow'))).toEqual([]);
 */
export async function recordImports(argv: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<FedgearResult & { imports: string[] }> {
  const directory = mkdtempSync(join(tmpdir(), 'fedgear-imports-'));
  const file = join(directory, 'imports.txt');
  try {
    const recorder = fileURLToPath(new URL('./record-imports.js', import.meta.url));
    const result = await node(['--import', recorder, ...argv], { env: { ...env, FEDGEAR_RECORD_IMPORTS: file } });
    let imports: string[] = [];
    try {
      imports = readFileSync(file, 'utf8').split('\n').filter((line) => line !== '');
    } catch {
      // Nothing resolved: no file.
    }
    return { ...result, imports };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/**
 * Resolves once the process's stderr matches `pattern` (polled), or rejects when it exits first
 * or `timeoutMs` passes.
 *
 * @example
 * await waitForStderr(serve, /round 2\/4/, 120_000);
 */
export async function waitForStderr(process: FedgearProcess, pattern: RegExp, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!pattern.test(process.stderr())) {
    if (process.child.exitCode !== null || process.child.signalCode !== null) {
      throw new Error(`stderr must match ${pattern} before the process exits, but it exited with: ${process.stderr()}`);
    }
    if (Date.now() - started > timeoutMs) throw new Error(`stderr must match ${pattern} within ${timeoutMs} ms, but it says: ${process.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
