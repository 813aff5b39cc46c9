import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectNats } from '../../../src/transport/nats/connect-nats.js';
import { natsCredentials } from '../../../src/transport/nats/nats-credentials.js';
import { runSubjects } from '../../../src/transport/nats/run-subjects.js';

function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'fedgear-creds-')), 'nats.creds');
  writeFileSync(path, text);
  return path;
}

const SEED = 'SUAIBDPBAUTWCWBKIO6XHQNINK5FWJW4OHLXC3HQ2KFE4PEJUA44CNHTC4';

describe('natsCredentials', () => {
  it('gives none when nothing is set', () => {
    expect(natsCredentials({}, undefined)).toBeUndefined();
  });

  it('takes a token, or a user with a password, from the environment and names the source', () => {
    expect(natsCredentials({ FEDGEAR_NATS_TOKEN: 't0k' }, undefined)?.source).toBe('FEDGEAR_NATS_TOKEN');
    expect(natsCredentials({ FEDGEAR_NATS_USER: 'u', FEDGEAR_NATS_PASSWORD: 'p' }, undefined)?.source).toBe('FEDGEAR_NATS_USER/FEDGEAR_NATS_PASSWORD');
  });

  it('refuses a user without a password, and credentials from two places', () => {
    expect(() => natsCredentials({ FEDGEAR_NATS_USER: 'u' }, undefined)).toThrow('FEDGEAR_NATS_USER and FEDGEAR_NATS_PASSWORD must be set together, but only FEDGEAR_NATS_USER is set.');
    expect(() => natsCredentials({ FEDGEAR_NATS_TOKEN: 't' }, file(SEED))).toThrow(/must come from one place, but got .*nats\.creds, FEDGEAR_NATS_TOKEN\./);
  });

  it('reads an NKey seed file and refuses a file that is neither a .creds file nor a seed', () => {
    const seedFile = file(`${SEED}\n`);
    expect(natsCredentials({}, seedFile)?.source).toBe(seedFile);
    const junk = file('password=hunter2\n');
    expect(() => natsCredentials({}, junk)).toThrow(`--nats-creds must be a NATS .creds file or an NKey user seed (SU…), but ${junk} is neither.`);
    expect(() => natsCredentials({ FEDGEAR_NATS_CREDS: '/nonexistent/x.creds' }, undefined)).toThrow(/--nats-creds must name a readable credentials file, but reading \/nonexistent\/x\.creds failed/);
  });
});

describe('connectNats', () => {
  it('refuses anonymous access to a server outside localhost before connecting', async () => {
    await expect(connectNats('nats://10.255.0.1:4222', undefined, 'test')).rejects.toThrow(
      'NATS credentials must be given for a server outside localhost (--nats-creds FILE, FEDGEAR_NATS_TOKEN, or FEDGEAR_NATS_USER and FEDGEAR_NATS_PASSWORD), but none are set for nats://10.255.0.1:4222.',
    );
  });

  it('refuses a URL that is not nats:// or tls://', async () => {
    await expect(connectNats('http://127.0.0.1:4222', undefined, 'test')).rejects.toThrow('--nats must start with nats:// or tls://, but got "http://127.0.0.1:4222".');
  });
});

describe('runSubjects', () => {
  it('namespaces every subject and the object store by the run id', () => {
    const subjects = runSubjects('lab-1');
    expect([subjects.header, subjects.job(2), subjects.update, subjects.end, subjects.bucket]).toEqual([
      'fedgear.lab-1.header',
      'fedgear.lab-1.client.2.job',
      'fedgear.lab-1.update',
      'fedgear.lab-1.end',
      'fedgear-lab-1',
    ]);
  });

  it('refuses a run id that would break out of its namespace', () => {
    expect(() => runSubjects('a.>')).toThrow(`--run must be 1 to 64 letters, digits, '-' or '_', but got "a.>".`);
  });
});
