import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRun } from '../../src/metrics/read-run.js';
import type { RoundRecord } from '../../src/metrics/round-record.js';
import { FEDGEAR_BIN, fedgear, REPO_ROOT } from '../support/fedgear-cli.js';

const flat = (text: string) => text.replace(/\s+/g, ' ');
// Rounds of a fraction of a second: the signal lands while the small trajectory trains.
const tiny = ['--dataset', 'synthetic-easy', '--preset', 'tiny', '--rounds', '6', '--switch-points', '1', '--clients', '2', '--per-client', '40', '--server', '20', '--validation', '20', '--test', '20', '--width', '1'];
const trained = (rounds: readonly RoundRecord[]) => rounds.map((r) => [r.round, r.gear, r.validation.loss, r.test.accuracy]);

/**
 * Starts `fedgear sweep directory …`, sends the first of `signals` once small.jsonl holds a round
 * and the others once it says it is stopping (signals sent together may arrive as one), and waits for it to end.
 */
function interruptSweep(directory: string, signals: NodeJS.Signals[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FEDGEAR_BIN, 'sweep', directory, ...tiny], { cwd: REPO_ROOT, env: { ...process.env, COLUMNS: '400' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('stopping after the round in progress')) for (const signal of signals.splice(1)) child.kill(signal);
    });
    const small = join(directory, 'small.jsonl');
    const poll = setInterval(() => {
      if (existsSync(small) && readFileSync(small, 'utf8').includes('"kind":"round"')) {
        clearInterval(poll);
        child.kill(signals[0]);
      }
    }, 20);
    child.on('error', reject);
    child.on('close', (status) => {
      clearInterval(poll);
      resolve({ status, stderr });
    });
  });
}

describe('an interrupted sweep (issue 11)', () => {
  it('SIGTERM: the job in progress writes end: stopped, the sweep exits 143 saying how to continue, and a rerun continues from the round it stopped after', async () => {
    const directory = join(mkdtempSync(join(tmpdir(), 'fedgear-sweep-stop-')), 'bundle');
    const first = await interruptSweep(directory, ['SIGTERM']);
    expect(first.status, first.stderr).toBe(143);
    expect(flat(first.stderr)).toContain('SIGTERM: stopping after the round in progress');
    const small = readRun(join(directory, 'small.jsonl'));
    expect(small.end?.status).toBe('stopped');
    expect(small.end?.message).toBe('SIGTERM');
    const stoppedAfter = small.rounds.length;
    expect(stoppedAfter).toBeLessThan(6);
    expect(flat(first.stderr)).toContain(`sweep stopped (small.jsonl after round ${stoppedAfter}, end: stopped): run the same command again to continue it: fedgear sweep ${directory} ${tiny.join(' ')}`);
    expect(existsSync(join(directory, 'large.jsonl'))).toBe(false);
    expect(existsSync(join(directory, 'manifest.json'))).toBe(false);

    const rerun = await fedgear(['sweep', directory, ...tiny]);
    expect(rerun.status, rerun.stderr).toBe(0);
    // The stop saved the weights after the last round it let finish: nothing is trained twice.
    expect(flat(rerun.stderr)).toContain(`small.jsonl resumes after round ${stoppedAfter}`);
    // That a resumed trajectory equals an uninterrupted one is checked in sweep.test ('finishes an interrupted one identically'): the same resume.
    for (const file of ['small.jsonl', 'large.jsonl', 'branch-1.jsonl']) {
      const resumed = readRun(join(directory, file));
      expect(resumed.end?.status).toBe('completed');
      expect(resumed.rounds.map((r) => r.round)).toEqual([1, 2, 3, 4, 5, 6]);
    }
    expect(trained(readRun(join(directory, 'small.jsonl')).rounds).slice(0, stoppedAfter)).toEqual(trained(small.rounds));
  });

  it('a second signal stops the job in progress at once, still writing end: stopped', async () => {
    const directory = join(mkdtempSync(join(tmpdir(), 'fedgear-sweep-stop-')), 'bundle');
    const { status, stderr } = await interruptSweep(directory, ['SIGINT', 'SIGINT']);
    expect(status, stderr).toBe(130);
    const small = readRun(join(directory, 'small.jsonl'));
    expect(small.end).toEqual({ kind: 'end', status: 'stopped', message: 'stopped at once, during a round' });
    expect(existsSync(join(directory, 'manifest.json'))).toBe(false);
  });
});
