import { createInterface } from 'node:readline';
import { Flags } from '../vendor/oclif-core.js';
import { FedgearCommand } from '../cli/fedgear-command.js';
import { loadPolicy } from '../policy/load-policy.js';
import { policyFlags, policyOptionsFromFlags } from '../policy/policy-flags.js';
import { decideSession } from '../sidecar/decide-session.js';

/** `fedgear decide`: a gear policy as a sidecar for any trainer, JSON lines in and out. */
export default class Decide extends FedgearCommand {
  static override summary = 'Answer another trainer\'s rounds with a gear policy: JSON lines on stdin, one decision per round on stdout.';

  static override description = `For trainers fedgear does not run (PyTorch, Flower, ...): write the policy context as the first line, {"context": {"plannedRounds": 20, "ladder": [{"name": "small", "parameters": 70546, "bytesPerRound": 1693104}, {"name": "large", ...}]}}, then one round record per line, in the PolicyRecord shape of docs/recorded-runs.md. Every line is answered with exactly one line, flushed at once: {"ready": true, ...} for the context, {"round": 1, "action": "hold", "reason": "..."} for a round. The policy runs through the same pipeline as live runs and replays.

A bad line is answered with {"error": "line 7: validation.accuracy ...", "line": 7, "field": "validation.accuracy"} and changes nothing: send the round again, corrected. A policy that fails ends the session with {"error": ..., "fatal": true} and exit status 1.

With --record, the rounds (with their test metrics, which the policy never sees), decisions and gear switches are written as a fedgear run file, which "fedgear replay" and "fedgear report" read. Policy options are given exactly as on "fedgear run". See docs/any-trainer.md for a complete Python loop.`;

  static override examples = [
    { description: 'A plateau detector for a trainer that pipes its rounds in:', command: 'python3 train.py | <%= config.bin %> <%= command.id %> --policy plateau --patience 5' },
    { description: 'Record what it saw and decided, then replay the recording with another setting:', command: '<%= config.bin %> <%= command.id %> --policy plateau --record runs/torch.jsonl < rounds.jsonl\n<%= config.bin %> replay runs/torch.jsonl --policy plateau --patience 3' },
    { description: 'Your own plugin, with an option given by name:', command: '<%= config.bin %> <%= command.id %> --policy ./dist/my-policy.js --policy-opt target=0.6' },
  ];

  static override flags = {
    policy: Flags.string({ summary: 'Gear policy: a built-in name, any:a,b / all:a,b, a .js/.mjs file, or a package.', default: 'plateau' }),
    record: Flags.string({ summary: 'Run file to record the rounds, decisions and switches to (JSONL, written as they happen).', helpValue: '<file>' }),
    ...policyFlags,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Decide);
    const plugin = await loadPolicy(flags.policy);
    const options = policyOptionsFromFlags(plugin, flags, flags['policy-opt'] ?? []);
    const session = decideSession({ plugin, options, spec: flags.policy, ...(flags.record === undefined ? {} : { record: flags.record }) });
    const reply = (value: object) => process.stdout.write(`${JSON.stringify(value)}\n`);
    let number = 0;
    for await (const text of createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
      number += 1;
      const answer = await session.line(number, text);
      if (answer === undefined) continue;
      reply(answer);
      if ('fatal' in answer) this.exit(1);
    }
    const last = session.end();
    if (last !== undefined) {
      reply(last);
      this.exit(1);
    }
  }
}
