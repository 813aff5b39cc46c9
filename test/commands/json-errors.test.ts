import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FedgearCommand } from '../../src/cli/fedgear-command.js';
import { fedgear, REPO_ROOT } from '../support/fedgear-cli.js';
import { makeBundle } from '../replay/make-bundle.js';

interface ErrorJson {
  error: { message: string; file?: string; line?: number; field?: string };
}

describe('--json errors (issue 11, case 5)', () => {
  it('give the message, file, line and field of a bad bundle', async () => {
    const directory = makeBundle({ rounds: 6, branches: [2] });
    const small = join(directory, 'small.jsonl');
    const lines = readFileSync(small, 'utf8').split('\n');
    const index = lines.findIndex((line) => line.startsWith('{"kind":"round","round":2,'));
    lines[index] = lines[index]!.replace(/"validation":\{"accuracy":[0-9.]+/, '"validation":{"accuracy":1.5');
    writeFileSync(small, lines.join('\n'));
    const { status, stdout } = await fedgear(['replay', directory, '--policy', 'never', '--json']);
    expect(status).not.toBe(0);
    const { error } = JSON.parse(stdout) as ErrorJson;
    expect(error.message).toBe(`${small}:${index + 1}: validation.accuracy Too big: expected number to be <=1, but got 1.5.`);
    expect(error).toMatchObject({ file: small, line: index + 1, field: 'validation.accuracy' });
  });

  it('give the message of a bad flag', async () => {
    const { status, stdout } = await fedgear(['run', '--transfer', 'copy', '--json']);
    expect(status).not.toBe(0);
    const { error } = JSON.parse(stdout) as ErrorJson;
    expect(error.message).toContain('Expected --transfer=copy to be one of: stack, kd, scratch');
  });

  it('are given by every command: each extends FedgearCommand', async () => {
    const root = join(REPO_ROOT, 'dist', 'src', 'commands');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js'));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const command = ((await import(pathToFileURL(join(root, file)).href)) as { default: { prototype: unknown } }).default;
      expect(command.prototype instanceof FedgearCommand, file).toBe(true);
    }
  });
});
