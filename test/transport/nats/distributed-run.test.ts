import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRun, type RecordedRun } from '../../../src/metrics/read-run.js';
import { startFedgear, type FedgearProcess } from '../../support/fedgear-cli.js';
import { testNats, type TestNats } from '../../support/nats-server.js';

const SCENARIO = ['--dataset', 'synthetic-easy', '--preset', 'tiny', '--rounds', '3', '--policy', 'fixed', '--at', '2'];

function onlyRun(directory: string): RecordedRun {
  const files = readdirSync(directory).filter((name) => name.endsWith('.jsonl'));
  expect(files).toHaveLength(1);
  return readRun(join(directory, files[0]!));
}

/** What must not depend on where clients train: everything but wall time and attendance. */
function results(run: RecordedRun) {
  return {
    rounds: run.rounds.map(({ seconds: _seconds, clients: _clients, ...rest }) => rest),
    decisions: run.decisions,
    switches: run.switches,
    end: run.end,
  };
}

/** Tiny runs, but several processes training at once on a loaded machine. */
const TIMEOUT_MS = 400_000;

describe('fedgear serve + fedgear client over NATS', () => {
  let nats: TestNats;
  const started: FedgearProcess[] = [];
  const fedgear = (args: readonly string[], options: { env?: NodeJS.ProcessEnv } = {}) => {
    const process = startFedgear(args, options);
    started.push(process);
    return process.done;
  };
  beforeAll(async () => {
    nats = await testNats();
  });
  afterAll(async () => {
    for (const { child } of started) if (child.exitCode === null) child.kill('SIGKILL');
    await nats.stop();
  });

  it('records the same metrics and decisions as fedgear run with the same seed, and every client answers every round', async () => {
    const runId = `same-${process.pid}-${Date.now()}`;
    const served = mkdtempSync(join(tmpdir(), 'fedgear-serve-'));
    const local = mkdtempSync(join(tmpdir(), 'fedgear-run-'));
    const env = { FEDGEAR_NATS_URL: nats.url, FEDGEAR_RUN_ID: runId };
    const [serve, ...clients] = await Promise.all([
      fedgear(['serve', ...SCENARIO, '--out', served], { env }),
      ...[0, 1, 2].map((client) => fedgear(['client', '--client-id', String(client)], { env })),
    ]);
    expect(serve.status, serve.stderr).toBe(0);
    for (const [client, outcome] of clients.entries()) {
      expect(outcome.status, outcome.stderr).toBe(0);
      expect(outcome.stderr).toContain(`client ${client}: round 3: trained gear 1`);
      expect(outcome.stderr).toContain('the run ended (completed)');
    }
    expect(serve.stderr).toMatch(/round 3\/3 {2}large {2}val [\d.]+% {2}clients 3\/3/);
    const distributed = onlyRun(served);
    for (const record of distributed.rounds) expect(record.clients).toEqual({ asked: [0, 1, 2], answered: [0, 1, 2], late: [] });

    const inProcess = await fedgear(['run', ...SCENARIO, '--out', local]);
    expect(inProcess.status, inProcess.stderr).toBe(0);
    expect(results(distributed)).toEqual(results(onlyRun(local)));
    expect(distributed.switches.map((event) => event.afterRound)).toEqual([2]);
  }, TIMEOUT_MS);
});
