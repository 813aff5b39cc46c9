import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Tests run from dist/test/commands; the binary is at the repository root.
const bin = fileURLToPath(new URL('../../../bin/run.js', import.meta.url));
const example = fileURLToPath(new URL('../../examples/target-accuracy.js', import.meta.url));

function fedgear(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const { status, stdout, stderr } = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  return { status, stdout, stderr };
}

describe('fedgear policies', () => {
  it('lists every built-in with its description and options', () => {
    const { status, stdout } = fedgear('policies');
    expect(status).toBe(0);
    for (const name of ['all', 'any', 'budget', 'fitting-risk', 'fixed', 'forecast', 'never', 'plateau']) expect(stdout).toMatch(new RegExp(`^${name}: `, 'm'));
    expect(stdout).toContain('  --patience <rounds>\n      rounds without improvement before shifting (detector best; default 10). An integer >= 1.');
    expect(stdout).toContain('  usage: --policy any:plateau,budget');
  });

  it('answers in JSON with --json', () => {
    const { status, stdout } = fedgear('policies', '--json');
    expect(status).toBe(0);
    const { policies } = JSON.parse(stdout) as { policies: { name: string; options: { name: string; flag: string; default?: unknown }[] }[] };
    const fixed = policies.find((policy) => policy.name === 'fixed')!;
    expect(fixed.options.map((option) => option.flag)).toEqual(['--at <rounds>', '--fraction <fraction>']);
    expect(policies.find((policy) => policy.name === 'plateau')!.options.find((option) => option.name === 'minDelta')!.default).toBe(0.01);
  });

  it("shows a plugin module's options with --policy", () => {
    const { status, stdout } = fedgear('policies', '--policy', example);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^target-accuracy: Shifts once validation accuracy/m);
    expect(stdout).toContain('  --policy-opt target=<accuracy>');
    expect(stdout).toContain('  --warmup <rounds>');
  });

  it('refuses an unknown policy, listing the built-ins', () => {
    const { status, stderr } = fedgear('policies', '--policy', 'platau');
    expect(status).not.toBe(0);
    expect(stderr.replace(/\s+/g, ' ')).toContain("a policy must be a built-in (all, any, budget, fitting-risk, fixed, forecast, never, plateau), a .js/.mjs file or an installed package, but got 'platau'.");
  });
});
