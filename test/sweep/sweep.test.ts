import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRunConfig } from '../../src/engine/build-run-config.js';
import { stagedRun } from '../../src/engine/staged-run.js';
import { readRun } from '../../src/metrics/read-run.js';
import type { RoundRecord } from '../../src/metrics/round-record.js';
import { loadPolicy } from '../../src/policy/load-policy.js';
import { readBundle } from '../../src/replay/bundle.js';
import { checkBundle } from '../../src/replay/check-bundle.js';
import { sweep } from '../../src/sweep/sweep.js';
import { bundleRows } from '../../src/report/report-rows.js';

// Few images: what is tested is how a sweep records, not what the models learn.
const config = buildRunConfig('tiny', {
  dataset: 'synthetic', rounds: 4, perClient: 100, server: 60, validation: 60, test: 500, workers: 1, backend: 'wasm', serverEpochs: 1, kdEpochs: 1,
});
const trained = (rounds: readonly RoundRecord[]) => rounds.map((r) => [r.round, r.gear, r.validation.loss, r.test.accuracy]);

describe('sweep', () => {
  let directory: string;
  let notes: string[];

  beforeAll(async () => {
    directory = join(mkdtempSync(join(tmpdir(), 'fedgear-sweep-')), 'bundle');
    notes = [];
    await sweep({ config, directory, switchPoints: [2], name: 'synthetic-test', command: 'test', onNote: (n) => notes.push(n) });
  });

  it('records a readable bundle: small, 12-12 and one branch per switch point', () => {
    const bundle = readBundle(directory);
    expect(bundle.manifest.name).toBe('synthetic-test');
    expect(bundle.small.rounds.map((r) => r.gear)).toEqual([0, 0, 0, 0]);
    expect(bundle.large.rounds.map((r) => r.gear)).toEqual([1, 1, 1, 1]);
    expect(bundle.branches.map((b) => b.switchAfter)).toEqual([2]);
    expect(bundle.branches[0]!.run.rounds.map((r) => r.gear)).toEqual([0, 0, 1, 1]);
  });

  it('makes each branch exactly the run `fedgear run --policy fixed --at k` records', async () => {
    const fixed = await loadPolicy('fixed');
    const outFile = join(directory, '..', 'direct.jsonl');
    await lastValueFrom(stagedRun({ config: { ...config, policy: { name: 'fixed', options: { at: 2 } } }, plugin: fixed, outFile }).pipe(toArray()));
    const direct = readRun(outFile);
    const branch = readBundle(directory).branches[0]!.run;
    expect(trained(branch.rounds)).toEqual(trained(direct.rounds));
    expect(branch.decisions.map((d) => [d.action, d.reason])).toEqual(direct.decisions.map((d) => [d.action, d.reason]));
    expect(branch.switches.map((s) => s.inherited)).toEqual(direct.switches.map((s) => s.inherited));
  });

  it('skips finished jobs and finishes an interrupted one identically', async () => {
    const path = join(directory, 'branch-2.jsonl');
    const before = readRun(path);
    // Cut the branch after its first large round, as a kill would.
    const lines = readFileSync(path, 'utf8').split('\n');
    const cut = lines.findIndex((line) => line.includes('"kind":"round","round":3'));
    writeFileSync(path, `${lines.slice(0, cut + 1).join('\n')}\n`);
    notes = [];
    await sweep({ config, directory, switchPoints: [2], name: 'synthetic-test', command: 'test', onNote: (n) => notes.push(n) });
    expect(notes).toContain('small.jsonl is complete: skipped');
    expect(notes).toContain('large.jsonl is complete: skipped');
    expect(trained(readRun(path).rounds)).toEqual(trained(before.rounds));
  });

  it('refuses switch points outside the run', async () => {
    await expect(sweep({ config, directory, switchPoints: [4], name: 'x', command: 'test' })).rejects.toThrow(
      'every switch point must be an integer in [1, 3], but got 4.',
    );
  });

  it('adds alternative transfers at one switch point, differing from the branch only after it', async () => {
    notes = [];
    await sweep({ config, directory, switchPoints: [2], alternatives: { at: 2, transfers: ['scratch'] }, name: 'synthetic-test', command: 'test', onNote: (n) => notes.push(n) });
    expect(notes).toContain('branch-2.jsonl is complete: skipped');
    const bundle = checkBundle(readBundle(directory));
    expect(bundle.manifest.alternatives).toEqual([{ switchAfter: 2, transfer: 'scratch', file: 'branch-2-scratch.jsonl' }]);
    const alternative = bundle.alternatives[0]!.run;
    expect(alternative.header.config.transfer).toBe('scratch');
    expect(trained(alternative.rounds.slice(0, 2))).toEqual(trained(bundle.small.rounds.slice(0, 2)));
    expect(alternative.rounds[2]!.gear).toBe(1);
    expect(alternative.rounds[2]!.test.accuracy).not.toBe(bundle.branches[0]!.run.rounds[2]!.test.accuracy);
    expect(bundleRows(bundle).map((row) => row.label)).toEqual(['12-12', '12-6', 'Gear 2', 'Gear 2 (scratch)']);
  });

  it("refuses alternatives away from the switch points or with the scenario's own transfer", async () => {
    await expect(sweep({ config, directory, switchPoints: [2], alternatives: { at: 3, transfers: ['kd'] }, name: 'x', command: 'test' })).rejects.toThrow(
      "the alternatives' switch point must be one of the switch points (2), but got 3.",
    );
    await expect(sweep({ config, directory, switchPoints: [2], alternatives: { at: 2, transfers: ['stack'] }, name: 'x', command: 'test' })).rejects.toThrow(
      "each alternative transfer must differ from the scenario's transfer 'stack', but got 'stack'.",
    );
  });

  it('adds a switch point to a recorded bundle, retraining the small state it never saved', async () => {
    notes = [];
    await sweep({ config, directory, switchPoints: [2, 3], name: 'synthetic-test', command: 'test', onNote: (n) => notes.push(n) });
    expect(notes).toContain('small-after-3 is not saved: retraining the small model from round 2 to 3');
    const bundle = checkBundle(readBundle(directory));
    expect(bundle.branches.map((b) => b.switchAfter)).toEqual([2, 3]);
    expect(trained(bundle.branches[1]!.run.rounds.slice(0, 3))).toEqual(trained(bundle.small.rounds.slice(0, 3)));
  });
});
