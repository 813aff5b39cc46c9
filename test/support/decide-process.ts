import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { FEDGEAR_BIN, REPO_ROOT } from './fedgear-cli.js';

/** A running `fedgear decide`, talked to line by line as a trainer would. */
export interface DecideProcess {
  /** Writes one line to its stdin, leaving stdin open. */
  send(value: unknown): void;
  /** The next line it answers, parsed; fails when none comes within 20 s. */
  reply(): Promise<Record<string, unknown>>;
  /** Closes stdin and waits for the exit status and anything left on stdout. */
  close(): Promise<{ status: number | null; rest: Record<string, unknown>[]; stderr: string }>;
}

/**
 * Spawns the real binary: `fedgear decide ...args`.
 *
 * @example
 * const decide = startDecide(['--policy', 'fixed', '--at', '3']);
 * decide.send({ context }); await decide.reply(); // { ready: true, ... }
 */
export function startDecide(args: readonly string[], cwd = REPO_ROOT): DecideProcess {
  const child = spawn(process.execPath, [FEDGEAR_BIN, 'decide', ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const waiter = waiting.shift();
    if (waiter) waiter(line);
    else lines.push(line);
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    send(value) {
      child.stdin.write(`${typeof value === 'string' ? value : JSON.stringify(value)}\n`);
    },
    reply() {
      const ready = lines.shift();
      if (ready !== undefined) return Promise.resolve(JSON.parse(ready) as Record<string, unknown>);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`fedgear decide must answer within 20 s, but it did not (stderr: ${stderr})`)), 20_000);
        waiting.push((line) => {
          clearTimeout(timer);
          resolve(JSON.parse(line) as Record<string, unknown>);
        });
      });
    },
    async close() {
      child.stdin.end();
      const status = await exited;
      return { status, rest: lines.splice(0).map((line) => JSON.parse(line) as Record<string, unknown>), stderr };
    },
  };
}
