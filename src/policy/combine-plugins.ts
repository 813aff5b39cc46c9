import { isGuarded, markGuarded } from './plugin-guard.js';
import { combinePolicies, type PolicyCombinator } from './combinator.js';
import { validateOptions, type OptionSpec, type OptionsSchema } from './options-schema.js';
import type { PolicyPlugin } from './plugin.js';

/**
 * Makes one plugin out of a combinator and the plugins it combines, e.g. `any:plateau,budget`.
 * Its options are the union of theirs: an option name declared by several of them takes one value
 * for all (so it must be declared alike, help text aside). Each inner plugin gets exactly the
 * options it declares, validated against its own schema.
 *
 * @example
 * const plugin = combinePlugins(any, [plateau, budget]);
 * plugin.create({ patience: 5, budgetMb: 100 }, context);
 */
export function combinePlugins(combinator: PolicyCombinator, plugins: readonly PolicyPlugin[]): PolicyPlugin {
  const name = `${combinator.name}:${plugins.map((plugin) => plugin.name).join(',')}`;
  const names = plugins.map((plugin) => plugin.name);
  const repeated = names.find((pluginName, index) => names.indexOf(pluginName) !== index);
  if (repeated !== undefined) throw new Error(`${name}: combined policies must be distinct, but got '${repeated}' twice.`);
  return {
    name,
    description: `${combinator.description} Combines ${names.join(', ')}.`,
    options: unionOfOptions(name, plugins),
    create(options, context) {
      const policies = Object.fromEntries(
        plugins.map((plugin) => {
          const own = Object.fromEntries(Object.keys(plugin.options).map((key) => [key, options[key]]));
          return [plugin.name, plugin.create(validateOptions(plugin.name, plugin.options, own), context)];
        }),
      );
      const combined = combinePolicies(combinator, policies);
      // A guarded policy inside keeps the whole combination under the deadline.
      if (Object.values(policies).some(isGuarded)) markGuarded(combined);
      return combined;
    },
  };
}

function unionOfOptions(name: string, plugins: readonly PolicyPlugin[]): OptionsSchema {
  const union: Record<string, OptionSpec> = {};
  const owner: Record<string, string> = {};
  for (const plugin of plugins) {
    for (const [option, spec] of Object.entries(plugin.options)) {
      const earlier = union[option];
      if (earlier !== undefined && meaning(earlier) !== meaning(spec)) {
        throw new Error(
          `${name}: option ${option} must be declared alike by ${owner[option]} and ${plugin.name}, but got ${meaning(earlier)} and ${meaning(spec)}.`,
        );
      }
      union[option] ??= spec;
      owner[option] ??= plugin.name;
    }
  }
  return union;
}

function meaning(spec: OptionSpec): string {
  const { help: _help, ...rest } = spec;
  return JSON.stringify(rest, Object.keys(rest).sort());
}
