import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobOffer, UpdateNotice, UpdateReply } from '../../../src/engine/remote-protocol.js';
import { readRun } from '../../../src/metrics/read-run.js';
import { connectNats } from '../../../src/transport/nats/connect-nats.js';
import { NatsClientLink } from '../../../src/transport/nats/nats-client-link.js';
import { runSubjects } from '../../../src/transport/nats/run-subjects.js';
import { fedgearProcesses, waitForStderr } from '../../support/fedgear-cli.js';
import { testNats, type TestNats } from '../../support/nats-server.js';

const TIMEOUT_MS = 300_000;

/** oclif wraps long error lines: compare with whitespace collapsed. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('distributed runs refuse what they must', () => {
  const { start, killAll } = fedgearProcesses();
  const servers: TestNats[] = [];
  afterAll(async () => {
    killAll();
    for (const server of servers) await server.stop();
  });

  describe('on a server that requires a user and password', () => {
    let url: string;
    beforeAll(async () => {
      const server = await testNats(['--user', 'fedgear', '--pass', 'right-password']);
      servers.push(server);
      url = server.url;
    });

    it('refuses a wrong password and a missing one, naming where the credentials came from', async () => {
      const wrong = await start(['client', '--client-id', '0', '--nats', url], { FEDGEAR_NATS_USER: 'fedgear', FEDGEAR_NATS_PASSWORD: 'wrong' }).done;
      expect(wrong.status).not.toBe(0);
      expect(flat(wrong.stderr)).toContain(`connecting to ${url} with the credentials from FEDGEAR_NATS_USER/FEDGEAR_NATS_PASSWORD failed`);
      expect(wrong.stderr).toMatch(/authorization violation/i);
      const none = await start(['client', '--client-id', '0', '--nats', url], {}).done;
      expect(none.status).not.toBe(0);
      expect(flat(none.stderr)).toContain(`connecting to ${url} without credentials failed`);
    }, TIMEOUT_MS);

    it('lets the right password in', async () => {
      const client = start(['client', '--client-id', '0', '--nats', url], { FEDGEAR_NATS_USER: 'fedgear', FEDGEAR_NATS_PASSWORD: 'right-password' });
      await waitForStderr(client, /client 0: waiting for the coordinator's run header/, TIMEOUT_MS - 10_000);
      client.child.kill('SIGTERM');
    }, TIMEOUT_MS);
  });

  describe('a client that sends malformed updates', () => {
    let nats: TestNats;
    beforeAll(async () => {
      nats = await testNats();
      servers.push(nats);
    });

    it('has every one rejected with a log line, and its first well-formed update accepted', async () => {
      const runId = `rogue-${process.pid}-${Date.now()}`;
      const out = mkdtempSync(join(tmpdir(), 'fedgear-rogue-'));
      const env = { FEDGEAR_NATS_URL: nats.url, FEDGEAR_RUN_ID: runId };
      const serve = start(['serve', '--dataset', 'synthetic-easy', '--preset', 'tiny', '--clients', '2', '--rounds', '1', '--policy', 'never', '--out', out], env);
      start(['client', '--client-id', '0'], env);

      // Client 1 is this test: it takes the job and answers with everything a round must refuse.
      const nc = await connectNats(nats.url, undefined, 'rogue client');
      const link = new NatsClientLink(nc, runSubjects(runId));
      const header = (await link.header()) as { ladder: { bytesPerTransfer: number }[] };
      const bytes = header.ladder[0]!.bytesPerTransfer;
      const offer = await new Promise<JobOffer>((resolve) => {
        link.onOffer(1, async (message) => {
          resolve(message as JobOffer);
          return { accepted: true };
        });
      });
      const good: UpdateNotice = { jobId: offer.jobId, round: 1, client: 1, gear: 0, weights: '', bytes, samples: 400, loss: 2.3, accuracy: 0.1, seconds: 1 };
      const short = await link.putUpdate(1, 1, new Float32Array(10));
      const replies: (UpdateReply | undefined)[] = [];
      replies.push(await link.sendUpdate({ hello: 'world' } as unknown as UpdateNotice));
      replies.push(await link.sendUpdate({ ...good, weights: short, bytes: 40 }));
      replies.push(await link.sendUpdate({ ...good, weights: short }));
      replies.push(await link.sendUpdate({ ...good, weights: short, gear: 1 }));
      replies.push(await link.sendUpdate({ ...good, weights: short, samples: 1e9 }));
      replies.push(await link.sendUpdate({ ...good, weights: short, jobId: 'made-up' }));
      // Then a well-formed update (the global weights sent back): accepted, and the round closes.
      const echoed = await link.putUpdate(1, 1, await link.fetchWeights(offer.weights));
      replies.push(await link.sendUpdate({ ...good, weights: echoed }));
      await nc.close();

      expect(replies.map((reply) => reply?.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'accepted']);
      expect(replies.map((reply) => reply!.reason)).toEqual([
        expect.stringContaining('update field jobId must be valid'),
        `weights must be ${bytes} bytes (gear 0, small), but got 40.`,
        `weights must be ${bytes} bytes (gear 0, small), but the stored object has 40.`,
        'gear must be 0 (small), but got 1.',
        'samples must be 400 (its shard times 1 epochs), but got 1000000000.',
        'it must answer an open job of this run, but job made-up is not one.',
        'averaged into round 1',
      ]);
      const outcome = await serve.done;
      expect(outcome.status, outcome.stderr).toBe(0);
      expect(outcome.stderr).toContain(`serve: client 1's update for round 1 rejected: weights must be ${bytes} bytes (gear 0, small), but got 40.`);
      const run = readRun(join(out, readdirSync(out).find((name) => name.endsWith('.jsonl'))!));
      expect(run.rounds[0]!.clients).toEqual({ asked: [0, 1], answered: [0, 1], late: [] });
    }, TIMEOUT_MS);
  });
});
