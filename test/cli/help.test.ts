import { describe, expect, it } from 'vitest';
import { fedgear } from '../support/fedgear-cli.js';

const COMMANDS = ['run', 'sweep', 'replay', 'tune', 'report', 'policies', 'models', 'decide', 'import', 'data fetch'];
const headers = (help: string) => help.split('\n').filter((line) => /^[A-Z][A-Z ]+$/.test(line));

describe('fedgear <command> --help', () => {
  it('ends with examples, for every command', async () => {
    const helps = await Promise.all(COMMANDS.map((command) => fedgear([...command.split(' '), '--help'])));
    for (const [index, { status, stdout }] of helps.entries()) {
      expect(status, COMMANDS[index]).toBe(0);
      expect(headers(stdout).at(-1), COMMANDS[index]).toBe('EXAMPLES');
    }
  });

  it('groups the flags of run as a user reads a run: scenario, training, policy, output', async () => {
    const { stdout } = await fedgear(['run', '--help']);
    expect(headers(stdout)).toEqual(['USAGE', 'SCENARIO FLAGS', 'TRAINING FLAGS', 'POLICY FLAGS', 'OUTPUT FLAGS', 'GLOBAL FLAGS', 'DESCRIPTION', 'EXAMPLES']);
    const section = (name: string) => stdout.slice(stdout.indexOf(`${name} FLAGS`), stdout.indexOf('\n\n', stdout.indexOf(`${name} FLAGS`) + 1) + 1);
    expect(stdout.slice(stdout.indexOf('POLICY FLAGS'))).toMatch(/^POLICY FLAGS\n {2}--at=/);
    expect(section('OUTPUT')).toContain('--out=');
    expect(stdout.slice(stdout.indexOf('TRAINING FLAGS'), stdout.indexOf('POLICY FLAGS'))).toContain('--local-epochs=');
  });
});
