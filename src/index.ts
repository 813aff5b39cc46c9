/**
 * fedgear's public API: the only barrel. Internal modules import each other directly.
 */
export type { ImageSet } from './data/image-set.js';
export type { PolicyRecord } from './metrics/round-record.js';
export { hold, shift, isDecision, type Decision } from './policy/decision.js';
export type { Policy, PolicyContext, GearInfo } from './policy/policy.js';
export { decideGears, PolicyError, type DecideOptions } from './policy/decide-gears.js';
export { definePolicy, type PolicyPlugin } from './policy/plugin.js';
export {
  validateOptions,
  type OptionSpec,
  type OptionsSchema,
  type OptionsOf,
  type OptionValue,
  type NumericOptionSpec,
  type BooleanOptionSpec,
  type StringOptionSpec,
  type EnumOptionSpec,
} from './policy/options-schema.js';
export { defineCombinator, combinePolicies, type PolicyCombinator, type NamedDecision } from './policy/combinator.js';
export { combinePlugins } from './policy/combine-plugins.js';
export { currentGearRecords } from './policy/current-gear.js';
export { loadPolicy, listBuiltinPolicies, loadBuiltinPolicies, type BuiltinPolicies } from './policy/load-policy.js';
