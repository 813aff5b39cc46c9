import { Flags } from '../vendor/oclif-core.js';
import { FedgearCommand } from '../cli/fedgear-command.js';
import { describePolicy, formatPolicyDescription, type PolicyDescription } from '../policy/describe-policy.js';
import { loadBuiltinPolicies, loadPolicy } from '../policy/load-policy.js';
import { policyFlags } from '../policy/policy-flags.js';

/** `fedgear policies`: the gear-switch policies and their options. */
export default class Policies extends FedgearCommand {
  static override summary = 'List the gear-switch policies and their options.';

  static override description = `Every built-in policy with what it does and each option: how to set it on "fedgear run", its type and range, unit, default and meaning. The combinators any and all join policies: --policy any:plateau,budget shifts when either does, all:... when all do; the combined policies take their options from the same flags.

With --policy, describes that one policy instead: a built-in, a combination, your own plugin module (.js/.mjs) or an installed package. Options without a flag of their own are set with --policy-opt name=value.`;

  static override examples = [
    { description: 'All built-in policies:', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'The options of your own plugin:', command: '<%= config.bin %> <%= command.id %> --policy ./dist/examples/target-accuracy.js' },
    { description: 'As JSON:', command: '<%= config.bin %> <%= command.id %> --json' },
  ];

  static override enableJsonFlag = true;

  static override flags = {
    policy: Flags.string({ summary: 'Describe only this policy: a built-in name, a combination like any:plateau,budget, a .js/.mjs file or a package.' }),
  };

  async run(): Promise<{ policies: PolicyDescription[] }> {
    const { flags } = await this.parse(Policies);
    const optionFlags = new Set(Object.keys(policyFlags));
    const policies =
      flags.policy === undefined
        ? Object.values(await loadBuiltinPolicies())
            .flat()
            .map((policy) => describePolicy(policy, optionFlags))
            .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        : [describePolicy(await loadPolicy(flags.policy), optionFlags, flags.policy)];
    this.log(policies.map(formatPolicyDescription).join('\n\n'));
    return { policies };
  }
}
