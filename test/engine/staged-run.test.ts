import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRunConfig } from '../../src/engine/build-run-config.js';
import { stagedRun, type RunEvent } from '../../src/engine/staged-run.js';
import { readRun, type RecordedRun } from '../../src/metrics/read-run.js';
import { contextFromHeader } from '../../src/policy/context-from-header.js';
import { loadPolicy } from '../../src/policy/load-policy.js';
import { replayDecisions } from '../../src/replay/replay-decisions.js';

const SWITCH_AFTER = 3;
const ROUNDS = 5;

describe('a staged run on synthetic data (fixed switch, stack transfer, 2 workers)', () => {
  let events: RunEvent[];
  let run: RecordedRun;

  beforeAll(async () => {
    const plugin = await loadPolicy('fixed');
    const config = buildRunConfig('tiny', {
      dataset: 'synthetic-easy',
      rounds: ROUNDS,
      width: 8,
      localEpochs: 2,
      workers: 2,
      backend: 'wasm',
      transfer: 'stack',
      policy: { name: 'fixed', options: { at: SWITCH_AFTER } },
    });
    const outFile = join(mkdtempSync(join(tmpdir(), 'fedgear-e2e-')), 'run.jsonl');
    events = await lastValueFrom(stagedRun({ config, plugin, outFile }).pipe(toArray()));
    run = readRun(outFile);
  });

  it('switches after exactly the requested round', () => {
    expect(run.rounds.map((r) => r.gear)).toEqual([0, 0, 0, 1, 1]);
    expect(run.switches.map((s) => [s.afterRound, s.from, s.to])).toEqual([[SWITCH_AFTER, 0, 1]]);
  });

  it('learns: test accuracy ends well above chance', () => {
    const best = Math.max(...run.rounds.map((r) => r.test.accuracy));
    expect(best).toBeGreaterThan(0.4); // chance is 0.1
  });

  it('records the clients\' training metrics every round, and they improve as the model learns', () => {
    for (const record of run.rounds) {
      expect(record.training!.accuracy).toBeGreaterThanOrEqual(0);
      expect(record.training!.accuracy).toBeLessThanOrEqual(1);
      expect(record.training!.loss).toBeGreaterThan(0);
    }
    const first = run.rounds[0]!.training!;
    const last = run.rounds.at(-1)!.training!;
    expect(last.accuracy).toBeGreaterThan(first.accuracy);
    expect(last.loss).toBeLessThan(first.loss);
  });

  it('counts the real serialised weights, both directions, every client, every round', () => {
    const clients = run.header.config['clients'] as number;
    let sentTotal = 0;
    let receivedTotal = 0;
    for (const record of run.rounds) {
      const expected = clients * record.parameters * 4;
      expect(record.bytes.sent).toBe(expected);
      expect(record.bytes.received).toBe(expected);
      sentTotal += record.bytes.sent;
      receivedTotal += record.bytes.received;
      expect(record.bytes.sentTotal).toBe(sentTotal);
      expect(record.bytes.receivedTotal).toBe(receivedTotal);
    }
    expect(run.rounds.map((r) => r.parameters)).toEqual(run.rounds.map((r) => run.header.ladder[r.gear]!.parameters));
  });

  it('keeps the function across a stack growth: the grown model scores what the small one did', () => {
    const before = run.rounds[SWITCH_AFTER - 1]!.validation;
    const after = run.switches[0]!.inherited!;
    const validation = run.header.config['validation'] as number;
    expect(Math.abs(after.accuracy - before.accuracy)).toBeLessThanOrEqual(1 / validation);
    expect(after.loss).toBeCloseTo(before.loss, 3);
  });

  it('streams the same events it records, and closes the file as completed', () => {
    expect(events[0]!.kind).toBe('start');
    expect(events.filter((e) => e.kind === 'round')).toHaveLength(ROUNDS);
    expect(run.decisions).toHaveLength(ROUNDS);
    expect(run.end?.status).toBe('completed');
    for (const record of run.rounds) expect(record.seconds.round).toBeGreaterThan(0);
    expect(run.rounds.at(-1)!.seconds.total).toBeCloseTo(run.rounds.reduce((sum, r) => sum + r.seconds.round, 0), 6);
  });

  it('replays to the same decisions through the same pipeline', async () => {
    const plugin = await loadPolicy('fixed');
    const policy = plugin.create({ at: SWITCH_AFTER }, contextFromHeader(run.header));
    const replayed = await replayDecisions(run, policy, 'fixed');
    expect(replayed.map((d) => [d.action, d.reason])).toEqual(run.decisions.map((d) => [d.action, d.reason]));
  });
});

describe('a staged run started from the library API', () => {
  it('validates the policy options as the CLI does, naming the plugin and the option', async () => {
    const plugin = await loadPolicy('plateau');
    const config = buildRunConfig('tiny', { dataset: 'synthetic', rounds: 2, workers: 0, policy: { name: 'plateau', options: { patience: 0 } } });
    const outFile = join(mkdtempSync(join(tmpdir(), 'fedgear-e2e-')), 'run.jsonl');
    await expect(lastValueFrom(stagedRun({ config, plugin, outFile }))).rejects.toThrow(/^plateau: patience must be an integer >= 1/);
  });
});
