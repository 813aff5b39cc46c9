import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unknownFlagMessage } from '../../src/cli/unknown-flag.js';
import { fedgear } from '../support/fedgear-cli.js';

const flat = (text: string) => text.replace(/\s*›\s*/g, ' ').replace(/\s+/g, ' ');

describe('smaller cases of issue 11 through the CLI (case 9)', () => {
  it('refuses --at at or beyond the last round before any work, naming both flags and where the rounds came from', async () => {
    const out = mkdtempSync(join(tmpdir(), 'fedgear-at-'));
    const fromPreset = await fedgear(['run', '--dataset', 'synthetic-easy', '--preset', 'tiny', '--policy', 'fixed', '--at', '8', '--out', out]);
    expect(fromPreset.status).not.toBe(0);
    expect(flat(fromPreset.stderr)).toContain('--at must be less than --rounds (8, from the preset tiny), but got 8: the run would end before the gear switches.');
    const given = await fedgear(['run', '--dataset', 'synthetic-easy', '--preset', 'tiny', '--rounds', '3', '--policy', 'fixed', '--at', '5', '--out', out]);
    expect(flat(given.stderr)).toContain('--at must be less than --rounds (3), but got 5:');
    expect(readdirSync(out)).toEqual([]);
  });

  it('answers an unknown flag with the nearest one in a line, not the whole help', async () => {
    const { status, stderr } = await fedgear(['run', '--round', '3']);
    expect(status).toBe(2);
    expect(flat(stderr)).toContain('Error: every flag must be one fedgear run knows, but got --round (did you mean --rounds?). "fedgear run --help" lists them.');
    expect(stderr).not.toContain('USAGE');
    expect(stderr.trim().split('\n').length).toBeLessThanOrEqual(3);
  });

  it('suggests only a flag close enough to be a typo', () => {
    const known = ['rounds', 'seed', 'out', 'per-client'];
    expect(unknownFlagMessage('fedgear run', ['--perclient=5', '--xyzzy'], known)).toBe(
      'every flag must be one fedgear run knows, but got --perclient=5 (did you mean --per-client?), --xyzzy. "fedgear run --help" lists them.',
    );
  });
});
