import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRunConfig } from '../../src/engine/build-run-config.js';
import { reserveRunFile } from '../../src/report/run-file-name.js';
import { fedgear } from '../support/fedgear-cli.js';
import { madeUpRounds, writeRun } from '../report/made-up-runs.js';

const flat = (text: string) => text.replace(/\s+/g, ' ');
// Few images: these tests are about where files go, not about learning.
const tiny = ['--dataset', 'synthetic-easy', '--preset', 'tiny', '--rounds', '1', '--per-client', '40', '--server', '20', '--validation', '20', '--test', '20'];

/** Paths no command can write into, even as root: a file, below a file, /sys, below a missing /proc entry. */
function unwritable(): { path: string; why: string }[] {
  const file = join(mkdtempSync(join(tmpdir(), 'fedgear-out-')), 'taken');
  writeFileSync(file, 'not a directory');
  return [
    { path: file, why: `${file} is a file` },
    { path: join(file, 'runs'), why: `${file} is a file` },
    { path: '/sys/fedgear-out', why: 'creating /sys/fedgear-out failed' },
    { path: '/proc/nonexistent/x', why: 'creating /proc/nonexistent failed' },
  ];
}

/** One line on stderr, naming the flag, and no stack trace. */
function expectOneLineNaming(result: { status: number | null; stderr: string }, what: string, why: string): void {
  expect(result.status).not.toBe(0);
  expect(result.status).not.toBeNull();
  expect(flat(result.stderr)).toContain(`${what} must be a directory fedgear can write into, but ${why}`);
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

describe('output paths (issue 11, case 4)', () => {
  it('fedgear run refuses an --out it cannot write into, before training, naming the flag', async () => {
    for (const { path, why } of unwritable()) {
      const result = await fedgear(['run', ...tiny, '--out', path]);
      expectOneLineNaming(result, '--out', why);
      expect(result.stderr).not.toContain('fedgear: backend');
    }
  });

  it('fedgear report refuses an --out it cannot write into', async () => {
    const run = writeRun(join(mkdtempSync(join(tmpdir(), 'fedgear-out-')), 'a.jsonl'), madeUpRounds([{ accuracy: 0.3, gear: 0 }, { accuracy: 0.5, gear: 0 }]));
    for (const { path, why } of unwritable().slice(1, 3)) expectOneLineNaming(await fedgear(['report', run, '--out', path]), '--out', why);
  });

  it("fedgear sweep refuses a bundle directory it cannot write into", async () => {
    for (const { path, why } of unwritable().slice(0, 3).filter((_, index) => index !== 1)) {
      expectOneLineNaming(await fedgear(['sweep', path, '--dataset', 'synthetic-easy', '--preset', 'tiny', '--rounds', '2', '--switch-points', '1']), 'the bundle directory', why);
    }
  });

  it('reserves a fresh file when a run of the same second has taken the name', () => {
    const out = mkdtempSync(join(tmpdir(), 'fedgear-out-'));
    const config = buildRunConfig('tiny', { dataset: 'synthetic-easy' });
    const now = new Date('2026-11-26T10:00:00Z');
    const first = reserveRunFile(out, config, now);
    const second = reserveRunFile(out, config, now);
    expect(second).not.toBe(first);
    expect(second).toBe(first.replace(/\.jsonl$/, '-2.jsonl'));
    expect(readdirSync(out)).toHaveLength(2);
  });

  it('two runs named alike never share a file', async () => {
    const out = mkdtempSync(join(tmpdir(), 'fedgear-out-'));
    // Same flags but the learning rate, started together: same name stem, same second.
    const [a, b] = await Promise.all([fedgear(['run', ...tiny, '--out', out, '--lr', '0.05']), fedgear(['run', ...tiny, '--out', out, '--lr', '0.01'])]);
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    expect(readdirSync(out).filter((name) => name.endsWith('.jsonl'))).toHaveLength(2);
  });
});
