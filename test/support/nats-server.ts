import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A NATS server for a test file: the one `.ci/run` started, or one of its own. */
export interface TestNats {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * The NATS server the distributed tests use: `FEDGEAR_TEST_NATS_URL` when set (`.ci/run` sets
 * it), else a `nats-server` with JetStream started on a free loopback port (with `args` added,
 * e.g. `--user`/`--pass` for the credential tests, which always start their own). Fails, never
 * skips, when there is no `nats-server` to start.
 *
 * @example
 * const nats = await testNats(); // afterAll(() => nats.stop())
 */
export async function testNats(args: readonly string[] = []): Promise<TestNats> {
  const shared = process.env['FEDGEAR_TEST_NATS_URL'];
  if (shared !== undefined && shared !== '' && args.length === 0) return { url: shared, stop: async () => {} };
  const binary = findServer();
  const dir = mkdtempSync(join(tmpdir(), 'fedgear-nats-'));
  const server = spawn(binary, ['--jetstream', '--addr', '127.0.0.1', '--port', '-1', '--store_dir', join(dir, 'js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`nats-server must start within 10 s, but it logged: ${log}`)), 10_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const port = /Listening for client connections on 127\.0\.0\.1:(\d+)/.exec(log)?.[1];
      if (port !== undefined) {
        clearTimeout(timer);
        resolve(`nats://127.0.0.1:${port}`);
      }
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.on('exit', (code) => reject(new Error(`nats-server must keep running, but it exited with ${code}: ${log}`)));
  });
  return { url, stop: () => stopServer(server, dir) };
}

function findServer(): string {
  for (const candidate of ['nats-server', '/usr/sbin/nats-server', '/usr/bin/nats-server']) {
    if (spawnSync(candidate, ['--version']).status === 0) return candidate;
  }
  throw new Error('nats-server must be installed for the distributed tests (apt-get install nats-server; .ci/run does it), but it was not found.');
}

async function stopServer(server: ChildProcess, dir: string): Promise<void> {
  if (server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
}
