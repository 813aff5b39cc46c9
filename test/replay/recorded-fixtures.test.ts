import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBundle } from '../../src/replay/bundle.js';
import { checkBundle } from '../../src/replay/check-bundle.js';
import { fedgear, REPO_ROOT } from '../support/fedgear-cli.js';

// Bundles recorded from real training (see test/fixtures/README.md for the commands).
const root = join(REPO_ROOT, 'test', 'fixtures', 'bundles');
const bundles = existsSync(root) ? readdirSync(root).filter((name) => existsSync(join(root, name, 'manifest.json'))) : [];

describe('recorded bundles in test/fixtures', () => {
  it('exist', () => {
    expect(bundles.length).toBeGreaterThan(0);
  });

  it('tune on them reports tuned options and leave-one-out held-out scores', async () => {
    const { status, stdout, stderr } = await fedgear(['tune', '--policy', 'plateau', ...bundles.map((name) => join(root, name)), '--trials', '50']);
    expect(status, stderr).toBe(0);
    expect(stdout).toMatch(/^best: --policy plateau /m);
    if (bundles.length > 1) expect(stdout).toContain('held out (leave-one-out)');
  });

  it('report on one of them writes the paper-style table and the charts', async () => {
    const out = mkdtempSync(join(tmpdir(), 'fedgear-fixture-report-'));
    const { status, stdout, stderr } = await fedgear(['report', join(root, bundles[0]!), '--policy', 'plateau patience=3', '--out', out]);
    expect(status, stderr).toBe(0);
    expect(stdout).toMatch(/^12-12 /m);
    expect(stdout).toMatch(/^12-6 /m);
    for (const file of ['table.md', 'accuracy-by-round.svg', 'accuracy-by-mb.png']) expect(existsSync(join(out, file))).toBe(true);
  });

  describe.each(bundles)('%s', (name) => {
    const directory = join(root, name);

    it('is consistent: every branch repeats the small trajectory up to its switch, then trains the large model', () => {
      const bundle = checkBundle(readBundle(directory));
      for (const { switchAfter, run } of bundle.branches) {
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
