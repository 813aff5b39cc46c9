import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { NatsCredentials } from './nats-credentials.js';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * Connects to a NATS server for a distributed run, retrying for ever after a lost connection
 * (a restarted server or a network cut: clients and coordinator carry on by themselves).
 * Refuses anonymous access outside localhost; `tls://` URLs require TLS (trust extra CAs with
 * Node's `NODE_EXTRA_CA_CERTS`).
 *
 * @example
 * const nc = await connectNats('nats://127.0.0.1:4222', undefined, 'fedgear client 0');
 */
export async function connectNats(url: string, credentials: NatsCredentials | undefined, name: string): Promise<NatsConnection> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`--nats must be a URL such as nats://host:4222 or tls://host:4222, but got ${JSON.stringify(url)}.`);
  }
  if (!['nats:', 'tls:'].includes(parsed.protocol)) {
    throw new Error(`--nats must start with nats:// or tls://, but got ${JSON.stringify(url)}.`);
  }
  if (credentials === undefined && !LOOPBACK.has(parsed.hostname)) {
    throw new Error(
      `NATS credentials must be given for a server outside localhost (--nats-creds FILE, FEDGEAR_NATS_TOKEN, or FEDGEAR_NATS_USER and FEDGEAR_NATS_PASSWORD), but none are set for ${url}.`,
    );
  }
  try {
    return await connect({
      servers: `${parsed.hostname}:${parsed.port || '4222'}`,
      name,
      maxReconnectAttempts: -1,
      ...(parsed.protocol === 'tls:' ? { tls: {} } : {}),
      ...(credentials === undefined ? {} : { authenticator: credentials.authenticator }),
    });
  } catch (error) {
    const how = credentials === undefined ? 'without credentials' : `with the credentials from ${credentials.source}`;
    throw new Error(`--nats must reach a NATS server that accepts this client, but connecting to ${url} ${how} failed: ${(error as Error).message}`);
  }
}
