import { Flags, type Interfaces } from '../vendor/oclif-core.js';
import { loadBuiltinPolicies } from './load-policy.js';
import { describeConstraint, optionFlagName, validateOptions, type OptionSpec, type OptionsOf, type OptionsSchema } from './options-schema.js';
import type { PolicyPlugin } from './plugin.js';

const helpGroup = 'POLICY';

/**
 * oclif flags for a policy's options: `--policy-opt key=value` (repeatable, for any plugin's
 * options) and one string flag per option of the given plugins in kebab-case (`budgetMb` ->
 * `--budget-mb`). An option several plugins declare becomes one flag whose help names them all.
 * The command declares `--policy` itself. Option flags have no oclif default, so "not given" stays
 * `undefined` and the plugin's own default applies; `validateOptions` parses the values, not oclif.
 *
 * @example
 * static flags = { ...policyFlagsFor([plateau, fixed]), rounds: Flags.integer() };
 */
export function policyFlagsFor(plugins: readonly PolicyPlugin[]) {
  const optionFlags: Record<string, Interfaces.OptionFlag<string | undefined>> = {};
  for (const [flag, users] of optionUsers(plugins)) {
    const [first] = users;
    const spec = first!.spec;
    const helps = new Set(users.map((user) => user.spec.help));
    const help = helps.size === 1 ? spec.help : users.map((user) => `${user.plugin}: ${user.spec.help}`).join('; ');
    optionFlags[flag] = Flags.string({
      description: `[${users.map((user) => user.plugin).join(', ')}] ${help}${details(users)}`,
      helpGroup,
      helpValue: spec.type === 'enum' ? spec.choices.join('|') : `<${spec.unit ?? spec.type}>`,
    });
  }
  return {
    'policy-opt': Flags.string({
      description:
        'Option of the policy as key=value (camelCase or kebab-case key); repeatable. Use it for options of plugins that have no flag. A plugin option named like a flag here (--window, --warmup) may be given with that flag too; the limits shown are the named built-ins\', the plugin\'s own apply ("fedgear policies --policy <plugin>" lists them).',
      multiple: true,
      helpGroup,
      helpValue: '<key=value>',
    }),
    ...optionFlags,
  };
}

const builtins = await loadBuiltinPolicies();

/**
 * The policy flags for the built-in policies, ready to spread into a command's `static flags`.
 *
 * @example
 * static flags = { ...policyFlags, rounds: Flags.integer({ default: 200 }) };
 */
export const policyFlags = policyFlagsFor(builtins.plugins);

/**
 * Collects, from parsed flags and `--policy-opt key=value` pairs, exactly the options the chosen
 * plugin declares, and validates them. A policy option flag the plugin does not declare is an
 * error, as is an option given both as a flag and with `--policy-opt`.
 *
 * `flagPlugins` are the plugins the option flags were made from (the built-ins by default): only
 * their option names are read from `parsedFlags`, so other flags of the command never leak in.
 *
 * @example
 * const { flags } = await this.parse(Run);
 * const plugin = await loadPolicy(flags.policy);
 * const options = policyOptionsFromFlags(plugin, flags, flags['policy-opt']);
 * const policy = plugin.create(options, context);
 */
export function policyOptionsFromFlags<S extends OptionsSchema>(
  plugin: PolicyPlugin<S>,
  parsedFlags: Readonly<Record<string, unknown>>,
  policyOpts: readonly string[] = [],
  flagPlugins: readonly PolicyPlugin[] = builtins.plugins,
): OptionsOf<S> {
  const declared = Object.keys(plugin.options);
  const theirOptions = declared.length === 0 ? 'it takes no options' : `its options: ${declared.map(optionFlagName).join(', ')}`;
  const raw: Record<string, string> = {};
  const givenAs: Record<string, string> = {};
  for (const flag of optionUsers(flagPlugins).keys()) {
    const value = parsedFlags[flag];
    if (value === undefined) continue;
    const option = camelCase(flag);
    if (!declared.includes(option)) throw new Error(`--${flag} is not an option of policy "${plugin.name}" (${theirOptions}).`);
    raw[option] = String(value);
    givenAs[option] = `--${flag} ${String(value)}`;
  }
  for (const pair of policyOpts) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new Error(`--policy-opt must be key=value, but got '${pair}'.`);
    const key = pair.slice(0, equals);
    const option = camelCase(key);
    if (!declared.includes(option)) throw new Error(`--policy-opt ${key} is not an option of policy "${plugin.name}" (${theirOptions}).`);
    if (givenAs[option] !== undefined) throw new Error(`option ${option} must be given once, but got ${givenAs[option]} and --policy-opt ${pair}.`);
    raw[option] = pair.slice(equals + 1);
    givenAs[option] = `--policy-opt ${pair}`;
  }
  return validateOptions(plugin.name, plugin.options, raw);
}

function camelCase(flag: string): string {
  return flag.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

interface OptionUser {
  readonly plugin: string;
  readonly spec: OptionSpec;
}

function optionUsers(plugins: readonly PolicyPlugin[]): Map<string, OptionUser[]> {
  const users = new Map<string, OptionUser[]>();
  for (const plugin of plugins) {
    for (const [option, spec] of Object.entries(plugin.options)) {
      const flag = optionFlagName(option);
      users.set(flag, [...(users.get(flag) ?? []), { plugin: plugin.name, spec }]);
    }
  }
  return users;
}

function details(users: readonly OptionUser[]): string {
  const [spec] = users.map((user) => user.spec);
  const alike = users.every((user) => describeConstraint(user.spec) === describeConstraint(spec!) && user.spec.default === spec!.default);
  if (!alike) return '';
  // Named after the built-ins that have them: a plugin's option of the same name takes this flag
  // too, with its own limits (see the --policy-opt help).
  const constraint = describeConstraint(spec!);
  return `. ${users.map((user) => user.plugin).join(', ')}: ${constraint}${spec!.default === undefined ? '' : `; default ${spec!.default}`}.`;
}
