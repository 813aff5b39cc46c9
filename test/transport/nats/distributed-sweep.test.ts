import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRun } from '../../../src/metrics/read-run.js';
import { fedgear, fedgearProcesses, waitForStderr } from '../../support/fedgear-cli.js';
import { testNats, type TestNats } from '../../support/nats-server.js';

/** Few images and rounds: what is tested is where jobs run, not what the models learn. */
const SWEEP = ['--dataset', 'synthetic-easy', '--preset', 'tiny', '--rounds', '3', '--switch-points', '2', '--clients', '2', '--per-client', '100', '--server', '100', '--validation', '100', '--test', '100'];

/**
 * Short, so that the killed worker's job comes back soon; long enough for a loaded machine's pauses
 * (a live worker says it is still working every quarter of it, from its main thread, which does
 * not train).
 */
const ACK_WAIT_SECONDS = 6;

const TIMEOUT_MS = 300_000;

/** Every file of a bundle directory, state/ included, sorted. */
function files(directory: string): string[] {
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(directory.length + 1))
    .sort();
}

/** What must not depend on where a job ran: a run file's content but wall time and creation date. */
function recorded(path: string) {
  const run = readRun(path);
  const { createdAt: _createdAt, ...header } = run.header;
  return {
    header: { ...header, config: { ...header.config, workers: 'any' } },
    rounds: run.rounds.map(({ seconds: _seconds, ...rest }) => rest),
    decisions: run.decisions,
    switches: run.switches,
    end: run.end,
  };
}

function manifest(directory: string) {
  const { command: _command, ...rest } = JSON.parse(readFileSync(join(directory, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  return rest;
}

describe('fedgear sweep --nats + fedgear worker', () => {
  let nats: TestNats;
  let local: string;
  const { start, killAll } = fedgearProcesses();
  beforeAll(async () => {
    nats = await testNats();
    local = join(mkdtempSync(join(tmpdir(), 'fedgear-sweep-local-')), 'bundle');
    const result = await fedgear(['sweep', local, ...SWEEP]);
    expect(result.status, result.stderr).toBe(0);
  }, TIMEOUT_MS);
  afterAll(async () => {
    killAll();
    await nats.stop();
  });

  it("records the same files as a local sweep with two workers, gives a SIGKILLed worker's job to the other, which resumes from its saved progress, and resumes without publishing recorded jobs", async () => {
    const env = { FEDGEAR_NATS_URL: nats.url, FEDGEAR_RUN_ID: `sweep-${process.pid}-${Date.now()}` };
    const directory = join(mkdtempSync(join(tmpdir(), 'fedgear-sweep-nats-')), 'bundle');
    const workers = new Map(['a', 'b'].map((name) => [name, start(['worker', '--worker-id', name], env)]));
    // Both wait before any job exists, so each takes one of the two trajectories.
    for (const worker of workers.values()) await waitForStderr(worker, /waiting for a sweep/, TIMEOUT_MS);
    // Whoever records the small trajectory dies mid-job (SIGKILL: taken, never acknowledged), once it saved round 2.
    let killed: string | undefined;
    for (const [name, worker] of workers) {
      worker.child.stderr!.on('data', () => {
        if (killed === undefined && /small\.jsonl: progress saved after round 2/.test(worker.stderr())) {
          killed = name;
          worker.child.kill('SIGKILL');
        }
      });
    }
    const coordinator = await fedgear(['sweep', directory, ...SWEEP, '--nats', nats.url, '--ack-wait', String(ACK_WAIT_SECONDS)], { env });
    expect(coordinator.status, coordinator.stderr).toBe(0);
    expect(killed).toBeDefined();
    const survivor = killed === 'a' ? 'b' : 'a';
    expect(workers.get(killed!)!.child.signalCode).toBe('SIGKILL');
    expect(workers.get(killed!)!.stderr()).not.toContain('small.jsonl done');
    const survived = await workers.get(survivor)!.done;
    expect(survived.status, survived.stderr).toBe(0);
    expect(survived.stderr).toContain('took large.jsonl');
    expect(survived.stderr).toMatch(/took small\.jsonl \(delivery [2-9]\)/);
    expect(survived.stderr).toContain('small.jsonl: continuing from the progress an earlier worker saved');
    expect(survived.stderr).toContain('small.jsonl resumes after round 2');
    expect(survived.stderr).toContain('the sweep ended (completed)');
    expect(coordinator.stderr).toMatch(new RegExp(`small\\.jsonl taken by ${survivor} \\(delivery [2-9]`));
    expect(coordinator.stderr).toMatch(new RegExp(`sweep: [12]/3 jobs done \\(small\\.jsonl by ${survivor}\\)`));
    expect(coordinator.stderr).toContain(`sweep: 3/3 jobs done (branch-2.jsonl by ${survivor})`);

    const compare = () => {
      expect(files(directory)).toEqual(files(local));
      expect(manifest(directory)).toEqual(manifest(local));
      for (const file of ['small.jsonl', 'large.jsonl', 'branch-2.jsonl']) expect(recorded(join(directory, file)), file).toEqual(recorded(join(local, file)));
      for (const file of files(local).filter((name) => name.startsWith('state/'))) {
        expect(readFileSync(join(directory, file)).equals(readFileSync(join(local, file))), file).toBe(true);
      }
    };
    compare();

    // Resumable: only the missing run is published again.
    rmSync(join(directory, 'branch-2.jsonl'));
    const third = start(['worker', '--worker-id', 'c'], env);
    const resumed = await fedgear(['sweep', directory, ...SWEEP, '--nats', nats.url], { env });
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('small.jsonl is complete: skipped');
    expect(resumed.stderr).toContain('large.jsonl is complete: skipped');
    expect(resumed.stderr).toContain('sweep: 1/1 jobs done (branch-2.jsonl by c)');
    expect((await third.done).stderr).not.toMatch(/took (small|large)/);
    compare();
  }, TIMEOUT_MS);

  it("stops with the worker's error when a job fails there, and the worker exits with status 1", async () => {
    const env = { FEDGEAR_NATS_URL: nats.url, FEDGEAR_RUN_ID: `sweep-fails-${process.pid}-${Date.now()}` };
    const directory = join(mkdtempSync(join(tmpdir(), 'fedgear-sweep-nats-')), 'bundle');
    // CIFAR-10 where the worker has none: the job fails at once, before training.
    const worker = start(['worker', '--worker-id', 'nodata', '--data-dir', join(directory, 'no-such-dir')], env);
    const coordinator = await fedgear(['sweep', directory, '--dataset', 'cifar10', '--preset', 'tiny', '--rounds', '2', '--switch-points', '1', '--nats', nats.url], { env });
    expect(coordinator.status).not.toBe(0);
    expect(coordinator.stderr.replace(/\s+/g, ' ')).toMatch(/small\.jsonl failed on worker nodata: --data-dir must name a directory holding CIFAR-10/);
    const failed = await worker.done;
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('the sweep ended (failed)');
  }, TIMEOUT_MS);
});
