import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRun } from '../../src/metrics/read-run.js';
import type { RoundRecord } from '../../src/metrics/round-record.js';
import { RunWriter } from '../../src/metrics/run-writer.js';
import { runRow } from '../../src/report/report-rows.js';
import { madeUpRounds } from '../report/made-up-runs.js';
import { FEDGEAR_BIN, fedgear, REPO_ROOT } from '../support/fedgear-cli.js';
import { runHeader } from '../support/run-header.js';

const flat = (text: string) => text.replace(/\s+/g, ' ');
// Width 4 and no server pre-training: rounds of a second or two, a switch after round 2.
const quick = ['--dataset', 'synthetic-easy', '--preset', 'tiny', '--width', '4', '--server-epochs', '0', '--per-client', '100', '--server', '60', '--validation', '60', '--test', '60', '--policy', 'fixed', '--at', '2'];
const trained = (rounds: readonly RoundRecord[]) => rounds.map((r) => [r.round, r.gear, r.validation.loss, r.test.accuracy]);

/** Starts `fedgear run`, sends `signals` once its first round is reported, and waits for it to end. */
function interrupt(args: readonly string[], signals: readonly NodeJS.Signals[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FEDGEAR_BIN, 'run', ...args], { cwd: REPO_ROOT, env: { ...process.env, COLUMNS: '200' } });
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!sent && /round 1\//.test(stderr)) {
        sent = true;
        for (const signal of signals) child.kill(signal);
      }
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

function onlyRun(directory: string): string {
  const files = readdirSync(directory).filter((name) => name.endsWith('.jsonl'));
  expect(files).toHaveLength(1);
  return join(directory, files[0]!);
}

describe('interrupted runs (issue 11, case 6)', () => {
  it('Ctrl-C stops after the round in progress, writes end: stopped, and --resume finishes it as if never stopped', async () => {
    const stopped = mkdtempSync(join(tmpdir(), 'fedgear-stopped-'));
    const first = await interrupt([...quick, '--rounds', '4', '--out', stopped], ['SIGINT']);
    expect(first.status).toBe(130);
    expect(flat(first.stderr)).toContain('SIGINT: stopping after the round in progress');
    const file = onlyRun(stopped);
    const partial = readRun(file);
    expect(partial.end?.status).toBe('stopped');
    expect(partial.rounds.length).toBeGreaterThanOrEqual(1);
    expect(partial.rounds.length).toBeLessThan(4);
    expect(flat(first.stderr)).toContain(`continue it with --resume ${file}`);

    const resumed = await fedgear(['run', '--resume', file]);
    expect(resumed.status, resumed.stderr).toBe(0);
    const whole = mkdtempSync(join(tmpdir(), 'fedgear-whole-'));
    const uninterrupted = await fedgear(['run', ...quick, '--rounds', '4', '--out', whole]);
    expect(uninterrupted.status, uninterrupted.stderr).toBe(0);
    const finished = readRun(file);
    expect(finished.end?.status).toBe('completed');
    expect(trained(finished.rounds)).toEqual(trained(readRun(onlyRun(whole)).rounds));
    expect(finished.switches.map((s) => s.afterRound)).toEqual([2]);
  });

  it('a second signal stops at once, still writing end: stopped', async () => {
    const out = mkdtempSync(join(tmpdir(), 'fedgear-stopped-'));
    const { status } = await interrupt([...quick, '--rounds', '30', '--out', out], ['SIGTERM', 'SIGTERM']);
    expect(status).toBe(143);
    const run = readRun(onlyRun(out));
    expect(run.end?.status).toBe('stopped');
    expect(run.rounds.length).toBeLessThan(30);
  });

  it('--resume refuses a finished run, and flags that would change it', async () => {
    const out = mkdtempSync(join(tmpdir(), 'fedgear-finished-'));
    const path = join(out, 'done.jsonl');
    const writer = RunWriter.create(path, runHeader([{ name: 'small', parameters: 1, weightLayers: 1, bytesPerTransfer: 4 }], { rounds: 1 }));
    writer.round(madeUpRounds([{ accuracy: 0.3, gear: 0 }])[0]!);
    writer.end({ kind: 'end', status: 'completed' });
    const done = await fedgear(['run', '--resume', path]);
    expect(done.status).not.toBe(0);
    expect(flat(done.stderr)).toContain(`--resume must name an unfinished run, but ${path} completed all its rounds.`);
    const flags = await fedgear(['run', '--resume', path, '--lr', '0.5']);
    expect(flags.status).not.toBe(0);
    expect(flat(flags.stderr)).toContain('--lr=0.5 cannot also be provided when using --resume');
  });

  it('report marks stopped, failed and killed runs', () => {
    const out = mkdtempSync(join(tmpdir(), 'fedgear-unfinished-'));
    const rounds = madeUpRounds([{ accuracy: 0.3, gear: 0 }, { accuracy: 0.4, gear: 0 }]);
    const write = (name: string, end?: Parameters<RunWriter['end']>[0]) => {
      const path = join(out, `${name}.jsonl`);
      const writer = RunWriter.create(path, runHeader([{ name: 'small', parameters: 1, weightLayers: 1, bytesPerTransfer: 4 }], { rounds: 10 }));
      for (const record of rounds) writer.round(record);
      if (end !== undefined) writer.end(end);
      return readRun(path);
    };
    expect(runRow(write('stopped', { kind: 'end', status: 'stopped', message: 'SIGINT' })).note).toBe('unfinished: stopped (SIGINT) after round 2 of 10');
    expect(runRow(write('failed', { kind: 'end', status: 'failed', message: 'boom' })).note).toBe('unfinished: failed (boom) after round 2 of 10');
    expect(runRow(write('killed')).note).toBe('unfinished: no end line (killed?) after round 2 of 10');
    expect(runRow(write('done', { kind: 'end', status: 'completed' })).note).toBeUndefined();
  });
});
