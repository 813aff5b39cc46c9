import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBundle } from '../../src/replay/bundle.js';
import { checkBundle } from '../../src/replay/check-bundle.js';
import { fedgear, REPO_ROOT } from '../support/fedgear-cli.js';

// Bundles recorded from real training (see test/fixtures/README.md for the commands): the
// fixtures proper and the reproduction study's (docs/reproduction.md).
const roots = ['bundles', 'study'].map((folder) => join(REPO_ROOT, 'test', 'fixtures', folder));
const bundles = roots.flatMap((root) => (existsSync(root) ? readdirSync(root).filter((name) => existsSync(join(root, name, 'manifest.json'))).map((name) => join(root, name)) : []));

/**
 * One bundle per scenario: bundles whose small runs measured the same validation curve (a scenario
 * recorded twice, e.g. for fewer rounds) are one scenario, and leave-one-out tuning on both would
 * judge each on a setting tuned on its twin.
 */
function distinctScenarios(directories: readonly string[]): string[] {
  const kept: { directory: string; curve: number[] }[] = [];
  for (const directory of directories) {
    const curve = readBundle(directory).small.rounds.map((record) => record.validation.accuracy);
    const same = (other: number[]) => other.slice(0, curve.length).every((value, index) => value === curve[index]) || curve.slice(0, other.length).every((value, index) => value === other[index]);
    if (!kept.some((scenario) => same(scenario.curve))) kept.push({ directory, curve });
  }
  return kept.map((scenario) => scenario.directory);
}

describe('recorded bundles in test/fixtures', () => {
  it('exist', () => {
    expect(bundles.length).toBeGreaterThan(0);
  });

  it('hold distinct scenarios only: the study re-recorded its CIFAR-10 bundles on all 50,000 images, so they differ from the version-1 fixtures', () => {
    expect(distinctScenarios(bundles).map((directory) => relative(REPO_ROOT, directory))).toEqual([
      'test/fixtures/bundles/cifar10-dirichlet05-seed0',
      'test/fixtures/bundles/cifar10-iid-seed0',
      'test/fixtures/bundles/synthetic-easy-seed0',
      'test/fixtures/study/cifar10-dirichlet05',
      'test/fixtures/study/cifar10-iid',
      'test/fixtures/study/cifar10-w4-5k',
      'test/fixtures/study/synthetic-dirichlet-4-clients',
      'test/fixtures/study/synthetic-iid',
    ]);
  });

  it('tune on their distinct scenarios reports tuned options and leave-one-out held-out scores', async () => {
    const scenarios = distinctScenarios(bundles);
    const { status, stdout, stderr } = await fedgear(['tune', '--policy', 'plateau', ...scenarios, '--trials', '50']);
    expect(status, stderr).toBe(0);
    expect(stdout).toMatch(/^best: --policy plateau /m);
    if (scenarios.length > 1) expect(stdout).toContain('held out (leave-one-out)');
  });

  it('report on one of them writes the paper-style table and the charts', async () => {
    const out = mkdtempSync(join(tmpdir(), 'fedgear-fixture-report-'));
    const { status, stdout, stderr } = await fedgear(['report', bundles[0]!, '--policy', 'plateau patience=3', '--out', out]);
    expect(status, stderr).toBe(0);
    expect(stdout).toMatch(/^12-12 /m);
    expect(stdout).toMatch(/^12-6 /m);
    for (const file of ['table.md', 'accuracy-by-round.svg', 'accuracy-by-mb.png']) expect(existsSync(join(out, file))).toBe(true);
  });

  describe.each(bundles.map((directory) => [relative(REPO_ROOT, directory), directory]))('%s', (_, directory) => {

    it('is consistent: every branch repeats the small trajectory up to its switch, then trains the large model', () => {
      const bundle = checkBundle(readBundle(directory));
      for (const { switchAfter, run } of [...bundle.branches, ...bundle.alternatives]) {
        const prefix = run.rounds.slice(0, switchAfter).map((r) => [r.gear, r.validation, r.test]);
        expect(prefix).toEqual(bundle.small.rounds.slice(0, switchAfter).map((r) => [r.gear, r.validation, r.test]));
        expect(run.rounds.slice(switchAfter).every((r) => r.gear === 1)).toBe(true);
        expect(run.switches.map((s) => s.afterRound)).toEqual([switchAfter]);
      }
    });

    it('replays the plateau policy against every fixed gear and the oracle', async () => {
      const { status, stdout, stderr } = await fedgear(['replay', directory, '--policy', 'plateau', '--patience', '3']);
      expect(status, stderr).toBe(0);
      expect(stdout).toMatch(/oracle/i);
      for (const branch of readBundle(directory).branches) expect(stdout).toContain(`fixed --at ${branch.switchAfter}`);
    });
  });
});
