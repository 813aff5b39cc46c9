import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRun } from '../../src/metrics/read-run.js';
import { readBundle } from '../../src/replay/bundle.js';
import { bundleRows, policyRow, runRow } from '../../src/report/report-rows.js';
import { madeUpRounds, writeBundle, writeRun } from './made-up-runs.js';

const bundle = readBundle(writeBundle(12, [4, 8]));

describe('bundleRows', () => {
  it("gives the paper's rows: 12-12 (large), 12-6 (small), then Gear k per branch", () => {
    const rows = bundleRows(bundle);
    expect(rows.map((row) => row.label)).toEqual(['12-12', '12-6', 'Gear 4', 'Gear 8']);
    expect(rows[0]!.rounds).toBe(bundle.large.rounds);
    expect(rows[1]!.rounds).toBe(bundle.small.rounds);
    expect(rows[3]!.rounds).toBe(bundle.branches[1]!.run.rounds);
  });

  it('puts a prefix before every label, to tell bundles apart', () => {
    expect(bundleRows(bundle, 'iid: ').map((row) => row.label)).toEqual(['iid: 12-12', 'iid: 12-6', 'iid: Gear 4', 'iid: Gear 8']);
  });
});

describe('runRow', () => {
  it('labels a run with its file name without the extension', () => {
    const path = writeRun(join(mkdtempSync(join(tmpdir(), 'fedgear-run-')), 'plateau-seed0.jsonl'), madeUpRounds([{ accuracy: 0.2, gear: 0 }]));
    expect(runRow(readRun(path))).toMatchObject({ label: 'plateau-seed0', rounds: [{ round: 1 }] });
  });
});

describe('policyRow', () => {
  it('replays a policy with its key=value options and gives the run it would have produced', async () => {
    const row = await policyRow(bundle, 'fixed at=4');
    expect(row.label).toBe('fixed at=4');
    expect(row.rounds).toEqual(bundle.branches[0]!.run.rounds);
    expect(row.replayed).toBe(true);
    expect(row.note).toMatch(/^shifted after round 4: /);
  });

  it('says when the splice differs from what the policy asked for', async () => {
    const row = await policyRow(bundle, 'fixed at=6', 'iid: ');
    expect(row.label).toBe('iid: fixed at=6');
    expect(row.note).toMatch(/^shifted after round 6: .*; no branch switches after round 6: used the nearest later one, after round 8$/);
  });

  it('says so when the policy never shifted, or only after the last round', async () => {
    expect((await policyRow(bundle, 'never')).note).toBe('never shifted');
    const late = await policyRow(bundle, 'fixed at=12');
    expect(late.note).toMatch(/^shifted after the last round \(12\), too late to train the larger model: /);
    expect(late.rounds).toEqual(bundle.small.rounds);
  });

  it('takes kebab-case option names as the command line writes them', async () => {
    expect((await policyRow(bundle, 'budget budget-mb=160')).note).toMatch(/^shifted after round/);
  });

  it('refuses an option that is not key=value and one the policy does not have', async () => {
    await expect(policyRow(bundle, 'fixed at')).rejects.toThrow("each option of a policy must be key=value, but got 'at' in 'fixed at'.");
    await expect(policyRow(bundle, 'fixed every=3')).rejects.toThrow('fixed: options must be one of at, fraction, but got');
    await expect(policyRow(bundle, '  ')).rejects.toThrow("a policy must be a name followed by key=value options, but got '  '.");
  });
});
