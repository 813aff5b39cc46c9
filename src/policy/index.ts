/**
 * The plugin API (`fedgear/policy`): everything a gear policy needs and nothing else, so that
 * loading a policy never loads TensorFlow.js, nor rxjs (`decideGears`, the operator that runs a
 * policy, is in `fedgear`). The built-in policies import only this.
 */
export type { PolicyRecord } from '../metrics/round-record.js';
export { hold, shift, isDecision, type Decision } from './decision.js';
export type { Policy, PolicyContext, GearInfo } from './policy.js';
export { PolicyError } from './policy-error.js';
export { DEFAULT_OBJECTIVE, parseObjectiveSpec, type ObjectiveSpec } from './objective-spec.js';
export { fitSaturatingCurve, predict, type CurveFitOptions, type SaturatingCurve } from './saturating-curve.js';
export { definePolicy, type PolicyPlugin } from './plugin.js';
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
} from './options-schema.js';
export { defineCombinator, combinePolicies, type PolicyCombinator, type NamedDecision } from './combinator.js';
export { combinePlugins } from './combine-plugins.js';
export { currentGearRecords } from './current-gear.js';
export { isIncompleteRecord } from './incomplete-record.js';
