import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fedgear } from '../support/fedgear-cli.js';

const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('fedgear sweep', () => {
  it('names the flag and the bad transfer in --compare-transfers', async () => {
    const directory = join(mkdtempSync(join(tmpdir(), 'fedgear-cli-sweep-')), 'bundle');
    const { status, stderr } = await fedgear(['sweep', directory, '--dataset', 'synthetic', '--preset', 'tiny', '--compare-transfers', 'kd,grow', '--compare-at', '2']);
    expect(status).not.toBe(0);
    expect(flat(stderr)).toContain("--compare-transfers must list transfers among stack, kd, scratch, but got 'grow' in 'kd,grow'.");
  });

  it('wants --compare-at with --compare-transfers', async () => {
    const directory = join(mkdtempSync(join(tmpdir(), 'fedgear-cli-sweep-')), 'bundle');
    const { status, stderr } = await fedgear(['sweep', directory, '--dataset', 'synthetic', '--preset', 'tiny', '--compare-transfers', 'kd']);
    expect(status).not.toBe(0);
    expect(flat(stderr)).toContain('--compare-at');
  });

  it('shows the transfer comparison in its help', async () => {
    const { status, stdout } = await fedgear(['sweep', '--help']);
    expect(status).toBe(0);
    expect(flat(stdout)).toContain('--compare-transfers kd,scratch --compare-at 4');
  });
});
