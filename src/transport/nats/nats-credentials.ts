import { readFileSync } from 'node:fs';
import { credsAuthenticator, nkeyAuthenticator, tokenAuthenticator, usernamePasswordAuthenticator, type Authenticator } from '@nats-io/transport-node';

/** Where a credential came from, for messages (never the secret itself). */
export interface NatsCredentials {
  readonly authenticator: Authenticator;
  readonly source: string;
}

/**
 * The credentials to connect with, from a file or the environment, never from a flag that would
 * show in `ps`:
 * - `file` (`--nats-creds`, or `FEDGEAR_NATS_CREDS`): a NATS `.creds` file (user JWT and NKey
 *   seed, as `nsc` writes) or a file holding only an NKey seed (`SU…`);
 * - `FEDGEAR_NATS_TOKEN`: a token;
 * - `FEDGEAR_NATS_USER` and `FEDGEAR_NATS_PASSWORD`: user and password.
 * Undefined when none is given. More than one is refused: which one applies must be obvious.
 *
 * @example
 * natsCredentials(process.env, undefined); // FEDGEAR_NATS_TOKEN=s3cret -> token authenticator
 */
export function natsCredentials(env: NodeJS.ProcessEnv, file: string | undefined): NatsCredentials | undefined {
  const given: NatsCredentials[] = [];
  const path = file ?? env['FEDGEAR_NATS_CREDS'];
  if (path !== undefined && path !== '') given.push(fromFile(path));
  const token = env['FEDGEAR_NATS_TOKEN'];
  if (token !== undefined && token !== '') given.push({ authenticator: tokenAuthenticator(token), source: 'FEDGEAR_NATS_TOKEN' });
  const user = env['FEDGEAR_NATS_USER'];
  const password = env['FEDGEAR_NATS_PASSWORD'];
  if ((user ?? '') !== '' || (password ?? '') !== '') {
    if (!user || !password) {
      throw new Error(`FEDGEAR_NATS_USER and FEDGEAR_NATS_PASSWORD must be set together, but only ${user ? 'FEDGEAR_NATS_USER' : 'FEDGEAR_NATS_PASSWORD'} is set.`);
    }
    given.push({ authenticator: usernamePasswordAuthenticator(user, password), source: 'FEDGEAR_NATS_USER/FEDGEAR_NATS_PASSWORD' });
  }
  if (given.length > 1) throw new Error(`NATS credentials must come from one place, but got ${given.map((c) => c.source).join(', ')}.`);
  return given[0];
}

function fromFile(path: string): NatsCredentials {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`--nats-creds must name a readable credentials file, but reading ${path} failed: ${(error as Error).message}`);
  }
  const bytes = new TextEncoder().encode(text);
  if (text.includes('-----BEGIN NATS USER JWT-----')) return { authenticator: credsAuthenticator(bytes), source: path };
  const seed = text.trim();
  if (/^SU[A-Z2-7]{56}$/.test(seed)) return { authenticator: nkeyAuthenticator(new TextEncoder().encode(seed)), source: path };
  throw new Error(`--nats-creds must be a NATS .creds file or an NKey user seed (SU…), but ${path} is neither.`);
}
