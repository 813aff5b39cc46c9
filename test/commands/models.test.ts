import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Tests run from dist/test/commands; the binary is at the repository root.
const bin = fileURLToPath(new URL('../../../bin/run.js', import.meta.url));

function fedgear(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const { status, stdout, stderr } = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  return { status, stdout, stderr };
}

describe('fedgear models', () => {
  it("prints the paper's 6-layer and 12-layer gears by default", () => {
    const { status, stdout } = fedgear('models', '--width', '4');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^small: 6 weight layers, [\d,]+ parameters, [\d.]+ MB per transfer$/m);
    expect(stdout).toMatch(/^large: 12 weight layers, [\d,]+ parameters, [\d.]+ MB per transfer, \d+\.\d\dx small$/m);
  });

  it('answers in JSON with --json, for the ladder and input asked for', () => {
    const { status, stdout } = fedgear('models', '--ladder', 'three', '--input', '28x28x1', '--width', '4', '--json');
    expect(status).toBe(0);
    const result = JSON.parse(stdout) as { inputShape: number[]; gears: { name: string; weightLayers: number }[] };
    expect(result.inputShape).toEqual([28, 28, 1]);
    expect(result.gears.map((gear) => [gear.name, gear.weightLayers])).toEqual([
      ['tiny', 4],
      ['small', 6],
      ['large', 12],
    ]);
  });

  it('refuses an input shape that is not HxWxC', () => {
    const { status, stderr } = fedgear('models', '--input', '32x32');
    expect(status).not.toBe(0);
    // oclif wraps long messages to the terminal width.
    expect(stderr.replace(/\s+/g, ' ')).toContain('--input must be HxWxC with positive integers (e.g. 32x32x3 or 28x28x1), but got "32x32".');
  });

  it('refuses an unknown ladder', () => {
    const { status, stderr } = fedgear('models', '--ladder', 'huge');
    expect(status).not.toBe(0);
    expect(stderr).toContain('huge');
  });
});
