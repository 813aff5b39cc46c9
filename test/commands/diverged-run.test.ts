import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRun } from '../../src/metrics/read-run.js';
import { fedgear } from '../support/fedgear-cli.js';

// A learning rate of 1000 makes the tiny model's loss NaN from round 1 on.
const diverging = ['--dataset', 'synthetic-easy', '--preset', 'tiny', '--per-client', '40', '--server', '20', '--validation', '20', '--test', '20', '--width', '4', '--rounds', '2', '--lr', '1000'];

describe('a diverged run (issue 11, case 1)', () => {
  it('is recorded, read back and reported, its NaN losses intact', async () => {
    const out = mkdtempSync(join(tmpdir(), 'fedgear-diverged-'));
    const ran = await fedgear(['run', ...diverging, '--out', out]);
    expect(ran.status, ran.stderr).toBe(0);
    const file = join(out, readdirSync(out).find((name) => name.endsWith('.jsonl'))!);
    const run = readRun(file);
    expect(run.rounds.map((r) => r.validation.loss)).toEqual([Number.NaN, Number.NaN]);
    expect(run.end?.status).toBe('completed');
    const report = await fedgear(['report', file, '--out', join(out, 'report'), '--format', 'md']);
    expect(report.status, report.stderr).toBe(0);
    expect(existsSync(join(out, 'report', 'table.md'))).toBe(true);
  });

  it('records a bundle that a rerun skips, and that replay and tune read', async () => {
    const directory = join(mkdtempSync(join(tmpdir(), 'fedgear-diverged-')), 'bundle');
    const first = await fedgear(['sweep', directory, ...diverging, '--switch-points', '1']);
    expect(first.status, first.stderr).toBe(0);
    const again = await fedgear(['sweep', directory, ...diverging, '--switch-points', '1']);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toContain('small.jsonl is complete: skipped');
    expect(again.stderr).toContain('branch-1.jsonl left out: round 1 of small.jsonl has incomplete validation metrics (diverged), so no policy switches there');
    const replay = await fedgear(['replay', directory, '--policy', 'plateau']);
    expect(replay.status, replay.stderr).toBe(0);
    // Plateau holds on every diverged round: it never shifts.
    expect(replay.stdout).toMatch(/^ +plateau +never /m);
    const tune = await fedgear(['tune', directory, '--policy', 'fixed', '--trials', '3']);
    expect(tune.status, tune.stderr).toBe(0);
  });
});
