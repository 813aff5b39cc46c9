import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRun, type RecordedRun } from '../../../src/metrics/read-run.js';
import { startFedgear, waitForStderr, type FedgearProcess } from '../../support/fedgear-cli.js';
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

/** oclif wraps long error lines: compare with whitespace collapsed. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

/** Tiny runs, but several processes training at once on a loaded machine. */
const TIMEOUT_MS = 400_000;

describe('fedgear serve + fedgear client over NATS', () => {
  let nats: TestNats;
  const started: FedgearProcess[] = [];
  const start = (args: readonly string[], options: { env?: NodeJS.ProcessEnv } = {}) => {
    const process = startFedgear(args, options);
    started.push(process);
    return process;
  };
  const fedgear = (args: readonly string[], options: { env?: NodeJS.ProcessEnv } = {}) => start(args, options).done;
  /** The same scenario trained in one process: what every distributed run must reproduce. */
  let reference: RecordedRun;
  beforeAll(async () => {
    nats = await testNats();
    const local = mkdtempSync(join(tmpdir(), 'fedgear-run-'));
    const inProcess = await fedgear(['run', ...SCENARIO, '--out', local]);
    expect(inProcess.status, inProcess.stderr).toBe(0);
    reference = onlyRun(local);
  }, TIMEOUT_MS);
  afterAll(async () => {
    for (const { child } of started) if (child.exitCode === null) child.kill('SIGKILL');
    await nats.stop();
  });

  it('records the same metrics and decisions as fedgear run with the same seed, every client answering every round, across a coordinator killed with -9 and resumed', async () => {
    const runId = `same-${process.pid}-${Date.now()}`;
    const served = mkdtempSync(join(tmpdir(), 'fedgear-serve-'));
    const env = { FEDGEAR_NATS_URL: nats.url, FEDGEAR_RUN_ID: runId };
    const first = start(['serve', ...SCENARIO, '--out', served], { env });
    const clients = [0, 1, 2].map((client) => start(['client', '--client-id', String(client)], { env }));
    await waitForStderr(first, /round 2\/3 {2}small {2}val [\d.]+% {2}clients 3\/3/, TIMEOUT_MS / 2);
    first.child.kill('SIGKILL');
    await first.done;
    const file = join(served, readdirSync(served).find((name) => name.endsWith('.jsonl'))!);

    // The clients keep running: the resumed coordinator finds them by itself.
    const second = await fedgear(['serve', ...SCENARIO, '--resume', file], { env });
    expect(second.status, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/round 3\/3 {2}large {2}val [\d.]+% {2}clients 3\/3/);
    for (const [client, { done }] of clients.entries()) {
      const outcome = await done;
      expect(outcome.status, outcome.stderr).toBe(0);
      expect(outcome.stderr).toContain(`client ${client}: round 3: trained gear 1`);
      expect(outcome.stderr).toContain('the run ended (completed)');
    }
    const distributed = onlyRun(served);
    for (const record of distributed.rounds) expect(record.clients).toEqual({ asked: [0, 1, 2], answered: [0, 1, 2], late: [] });
    expect(results(distributed)).toEqual(results(reference));
    expect(distributed.switches.map((event) => event.afterRound)).toEqual([2]);
  }, TIMEOUT_MS);

  it('refuses to resume a run without a checkpoint, or with flags it was not recorded with, naming the setting', async () => {
    const served = mkdtempSync(join(tmpdir(), 'fedgear-serve-'));
    const file = join(served, 'a.jsonl');
    const header = { ...reference.header, config: { ...reference.header.config, workers: 0 } };
    writeFileSync(file, `${JSON.stringify(header)}\n${JSON.stringify({ kind: 'round', ...reference.rounds[0] })}\n`);
    const env = { env: { FEDGEAR_NATS_URL: nats.url } };
    const missing = await fedgear(['serve', ...SCENARIO, '--resume', file], env);
    expect(missing.status).not.toBe(0);
    expect(flat(missing.stderr)).toContain(`${file} must have a checkpoint of one of its rounds in ${join(served, 'a.state')}/ to resume, but has none.`);
    mkdirSync(join(served, 'a.state'));
    writeFileSync(join(served, 'a.state', 'after-1.f32'), new Uint8Array(4 * reference.header.ladder[0]!.parameters));
    const changed = await fedgear(['serve', ...SCENARIO, '--seed', '7', '--resume', file], env);
    expect(changed.status).not.toBe(0);
    expect(flat(changed.stderr)).toContain(`--resume ${file} must be given the flags it was recorded with, but seed is 7 (recorded 0).`);
  }, TIMEOUT_MS);
});
