import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readRun } from '../../src/metrics/read-run.js';
import type { BundleComparison } from '../../src/replay/compare.js';
import type { RunFileReplay } from '../../src/replay/replay-run-file.js';
import { FEDGEAR_BIN, fedgear, REPO_ROOT } from '../support/fedgear-cli.js';

const hasPython = (() => {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** The Python example exactly as docs/any-trainer.md shows it, written to a fresh directory. */
function exampleProject(): string {
  const doc = readFileSync(join(REPO_ROOT, 'docs/any-trainer.md'), 'utf8');
  const blocks = [...doc.matchAll(/```python\n([\s\S]*?)```/g)].map((match) => match[1]!);
  expect(blocks).toHaveLength(1);
  const directory = mkdtempSync(join(tmpdir(), 'fedgear-any-trainer-'));
  writeFileSync(join(directory, 'train.py'), blocks[0]!);
  return directory;
}

const python = (directory: string, args: readonly string[] = []) =>
  promisify(execFile)('python3', ['train.py', ...args], { cwd: directory, env: { ...process.env, FEDGEAR: `${process.execPath} ${FEDGEAR_BIN}` } });

describe.skipIf(!hasPython)('docs/any-trainer.md, its Python loop run as written', () => {
  it('grows the model when fedgear decide --policy plateau says so, and its recording replays with the same decisions', async () => {
    const directory = exampleProject();
    const { stdout } = await python(directory);
    const run = readRun(join(directory, 'runs/python-plateau.jsonl'));
    const shift = run.decisions.find((decision) => decision.action === 'shift')!;
    expect(stdout).toContain(`grew after round [${shift.round}]; recorded runs/python-plateau.jsonl`);
    // The loop trained the small model up to the shift and the large one from the next round on.
    expect(run.rounds.map((record) => record.gear)).toEqual(run.rounds.map((record) => (record.round <= shift.round ? 0 : 1)));
    expect(run.switches.map((event) => event.afterRound)).toEqual([shift.round]);
    expect(shift.reason).toMatch(/^validation accuracy has not improved by more than 0.01 for 4 rounds/);
    expect(run.end?.status).toBe('completed');

    const replay = await fedgear(['replay', join(directory, 'runs/python-plateau.jsonl'), '--policy', 'plateau', '--patience', '4']);
    expect(replay.stderr).toBe('');
    expect(replay.stdout).toContain(`replayed: shift after round ${shift.round} (${shift.reason})`);
    expect(replay.stdout).toContain('the same decisions as recorded after all 30 rounds, with the same reasons.');
  });

  it('records a bundle that fedgear replay reads: the policy replayed on it shifts where the small run plateaus', async () => {
    const directory = exampleProject();
    const { stdout } = await python(directory, ['--bundle', 'bundles/python']);
    expect(stdout).toContain('recorded the bundle bundles/python');
    const bundle = join(directory, 'bundles/python');
    const small = await fedgear(['replay', join(bundle, 'small.jsonl'), '--policy', 'plateau', '--patience', '4', '--json']);
    const shift = (JSON.parse(small.stdout) as { runs: RunFileReplay[] }).runs[0]!.replayed.find((decision) => decision.action === 'shift')!;
    const { status, stdout: json, stderr } = await fedgear(['replay', bundle, '--policy', 'plateau', '--patience', '4', '--objective', 'max-accuracy', '--json']);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const comparison = (JSON.parse(json) as { bundles: BundleComparison[] }).bundles[0]!;
    expect(comparison.rows.map((row) => row.label)).toEqual(['plateau', 'fixed --at 5', 'fixed --at 10', 'fixed --at 15', 'fixed --at 20', 'never (small only)', '12-12 (large only)']);
    expect(comparison.policy.switchAfter).toBe(shift.round);
  });
});
