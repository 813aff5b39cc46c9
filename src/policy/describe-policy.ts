import type { PolicyCombinator } from './combinator.js';
import { describeConstraint, optionFlagName, type OptionSpec } from './options-schema.js';
import type { PolicyPlugin } from './plugin.js';

/**
 * What `fedgear policies` shows of a policy or combinator (and prints with --json).
 *
 * @example
 * describePolicy(plateau, new Set(['patience'])).options[0]!.flag; // '--monitor' or '--policy-opt monitor=...'
 */
export interface PolicyDescription {
  readonly name: string;
  readonly kind: 'policy' | 'combinator';
  readonly description: string;
  /** How to choose it on `fedgear run`. */
  readonly usage: string;
  readonly options: readonly OptionDescription[];
}

/** One option as a user sets it. */
export interface OptionDescription extends Omit<OptionSpec, 'choices'> {
  readonly name: string;
  /** How to give it: `--budget-mb <MB>`, or `--policy-opt name=<value>` when it has no flag of its own. */
  readonly flag: string;
  /** The constraint in words, e.g. "an integer >= 1". */
  readonly constraint: string;
  readonly choices?: readonly string[];
}

/**
 * Describes a policy plugin or combinator; `flags` are the option flags the CLI has (kebab-case),
 * the other options are shown as `--policy-opt`; `spec` is what was given to `--policy`.
 *
 * @example
 * formatPolicyDescription(describePolicy(plugin, new Set(Object.keys(policyFlags))));
 */
export function describePolicy(policy: PolicyPlugin | PolicyCombinator, flags: ReadonlySet<string>, spec: string = policy.name): PolicyDescription {
  if ('combine' in policy) {
    return { name: policy.name, kind: 'combinator', description: policy.description, usage: `--policy ${policy.name}:plateau,budget (each combined policy takes its own options)`, options: [] };
  }
  return {
    name: policy.name,
    kind: 'policy',
    description: policy.description,
    usage: `--policy ${spec}`,
    options: Object.entries(policy.options).map(([name, spec]) => {
      const kebab = optionFlagName(name);
      const value = spec.type === 'enum' ? spec.choices.join('|') : `<${spec.unit ?? spec.type}>`;
      return { name, ...spec, flag: flags.has(kebab) ? `--${kebab} ${value}` : `--policy-opt ${name}=${value}`, constraint: describeConstraint(spec) };
    }),
  };
}

/**
 * Formats descriptions for the terminal: a header line per policy, then each option with its
 * constraint, default and help.
 *
 * @example
 * console.log(formatPolicyDescription(description));
 */
export function formatPolicyDescription(description: PolicyDescription): string {
  const lines = [`${description.name}: ${description.description}`, `  usage: ${description.usage}`];
  for (const option of description.options) {
    const fallback = option.default === undefined ? '' : `; default ${option.default}`;
    const constraint = option.constraint.charAt(0).toUpperCase() + option.constraint.slice(1);
    lines.push(`  ${option.flag}`, `      ${option.help}. ${constraint}${fallback}.`);
  }
  if (description.kind === 'policy' && description.options.length === 0) lines.push('  (no options)');
  return lines.join('\n');
}
