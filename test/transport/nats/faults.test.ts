import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRun, type RecordedRun } from '../../../src/metrics/read-run.js';
import { fedgearProcesses, waitForStderr } from '../../support/fedgear-cli.js';
import { testNats, type TestNats } from '../../support/nats-server.js';

/** Tiny runs, but several processes training at once on a loaded machine. */
const TIMEOUT_MS = 500_000;

/**
 * Rounds 2 and 3 each last this long (a stalled and a killed client never answer); a healthy
 * client's tiny round takes well under a second on a quiet machine, a few on a loaded one.
 */
const ROUND_TIMEOUT_SECONDS = 8;

function onlyRun(directory: string): RecordedRun {
  const files = readdirSync(directory).filter((name) => name.endsWith('.jsonl'));
  expect(files).toHaveLength(1);
  return readRun(join(directory, files[0]!));
}

describe('distributed runs with faults', () => {
  let nats: TestNats;
  const { start, killAll } = fedgearProcesses();
  beforeAll(async () => {
    nats = await testNats();
  });
  afterAll(async () => {
    killAll();
    await nats.stop();
  });

  it('carries on without a stalled and a killed client, drops and counts the late update, and takes the killed client back when it restarts', async () => {
    const env = { FEDGEAR_NATS_URL: nats.url, FEDGEAR_RUN_ID: `faults-${process.pid}-${Date.now()}` };
    const out = mkdtempSync(join(tmpdir(), 'fedgear-faults-'));
    const serve = start(['serve', '--dataset', 'synthetic-easy', '--preset', 'tiny', '--rounds', '5', '--policy', 'never', '--min-clients', '2', '--round-timeout', String(ROUND_TIMEOUT_SECONDS), '--out', out], env);
    const client = (k: number) => start(['client', '--client-id', String(k)], env);
    const clients = [client(0), client(1), client(2)];
    const minute = 60_000;

    // Round 2: client 1 stalls mid-training (SIGSTOP) until the round has closed without it.
    await waitForStderr(clients[1]!, /client 1: round 2: training/, 4 * minute);
    clients[1]!.child.kill('SIGSTOP');
    await waitForStderr(serve, /round 2\/5/, 4 * minute);
    clients[1]!.child.kill('SIGCONT');

    // Round 3: client 2 dies mid-training; it is restarted once round 3 has closed.
    await waitForStderr(clients[2]!, /client 2: round 3: training/, 4 * minute);
    clients[2]!.child.kill('SIGKILL');
    await waitForStderr(serve, /round 3\/5/, 4 * minute);
    const restarted = client(2);

    const outcome = await serve.done;
    expect(outcome.status, outcome.stderr).toBe(0);
    expect(outcome.stderr).toContain("serve: client 1's update for round 2 came after that round closed: dropped (late)");
    const run = onlyRun(out);
    expect(run.rounds).toHaveLength(5);
    expect(run.end?.status).toBe('completed');
    // Only what the faults decide: on a loaded machine a healthy client may miss a deadline too.
    const [, second, third, ...later] = run.rounds.map((record) => record.clients!);
    expect(second!.asked).toContain(1);
    expect(second!.answered).not.toContain(1);
    expect(second!.answered.length).toBeGreaterThanOrEqual(2);
    expect(third!.asked).toContain(2);
    expect(third!.answered).not.toContain(2);
    expect(third!.late).toContain(1);
    // The restarted client needs a moment to start: it must be back within the two rounds left.
    expect(later.some((clients) => clients.answered.includes(2))).toBe(true);
    const bytesPerTransfer = run.header.ladder[0]!.bytesPerTransfer!;
    for (const record of run.rounds) {
      expect(record.bytes.received).toBe(record.clients!.answered.length * bytesPerTransfer);
      expect(record.bytes.sent).toBe(record.clients!.asked.length * bytesPerTransfer);
    }
    expect((await restarted.done).stderr).toMatch(/client 2: round [45]: trained gear 0/);
  }, TIMEOUT_MS);
});
