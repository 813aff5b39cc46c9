import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testNats, type TestNats } from '../../support/nats-server.js';

const CONNECT = fileURLToPath(new URL('../../../src/transport/nats/connect-nats.js', import.meta.url));

/** A CA and a server certificate for 127.0.0.1 made with openssl (CI installs it when missing). */
function certificates(): { ca: string; cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fedgear-tls-'));
  const path = (name: string) => join(dir, name);
  writeFileSync(path('ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  const steps = [
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path('ca.key'), '-out', path('ca.pem'), '-days', '1', '-subj', '/CN=fedgear test CA'],
    ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', path('server.key'), '-out', path('server.csr'), '-subj', '/CN=127.0.0.1'],
    ['x509', '-req', '-in', path('server.csr'), '-CA', path('ca.pem'), '-CAkey', path('ca.key'), '-CAcreateserial', '-out', path('server.pem'), '-days', '1', '-extfile', path('ext.cnf')],
  ];
  for (const args of steps) {
    const result = spawnSync('openssl', args, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`openssl ${args[0]} must succeed for the TLS test, but got ${result.error?.message ?? result.stderr}`);
  }
  return { ca: path('ca.pem'), cert: path('server.pem'), key: path('server.key') };
}

/** Connects as `fedgear serve` and `fedgear client` do, in a fresh Node (NODE_EXTRA_CA_CERTS is read at start-up). */
function connect(url: string, env: NodeJS.ProcessEnv): { status: number | null; output: string } {
  const script = `import { connectNats } from ${JSON.stringify(CONNECT)};
const nc = await connectNats(${JSON.stringify(url)}, undefined, 'fedgear tls test');
console.log('connected');
await nc.close();`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 30_000 });
  return { status: result.status, output: result.stdout + result.stderr };
}

describe('distributed runs over tls://', () => {
  let nats: TestNats;
  let ca: string;

  beforeAll(async () => {
    const made = certificates();
    ca = made.ca;
    nats = await testNats(['--tls', '--tlscert', made.cert, '--tlskey', made.key]);
  });
  afterAll(async () => {
    await nats.stop();
  });

  it('connects when the server certificate chains to a CA the user trusts', () => {
    const { status, output } = connect(nats.url.replace('nats://', 'tls://'), { NODE_EXTRA_CA_CERTS: ca });
    expect(output).toContain('connected');
    expect(status).toBe(0);
  });

  it('refuses a server whose certificate it cannot verify, saying which URL and why', () => {
    const { status, output } = connect(nats.url.replace('nats://', 'tls://'), { NODE_EXTRA_CA_CERTS: '' });
    expect(status).not.toBe(0);
    expect(output).toMatch(/--nats must reach a NATS server that accepts this client, but connecting to tls:\/\/127\.0\.0\.1:\d+ without credentials failed: .*certificate/);
  });
});
