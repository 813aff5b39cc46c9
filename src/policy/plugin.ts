import type { OptionsOf, OptionsSchema } from './options-schema.js';
import type { Policy, PolicyContext } from './policy.js';

/**
 * What a policy module exports (as `default` or as `plugin`): a named, documented factory of
 * policies with declared options. fedgear validates the options against `options` before calling
 * `create`, so `create` only checks what the schema cannot say (e.g. "exactly one of a and b").
 *
 * @example
 * export default definePolicy({
 *   name: 'every-n',
 *   description: 'Shifts every n rounds.',
 *   options: { n: { type: 'integer', min: 1, default: 10, unit: 'rounds', help: 'rounds per gear' } },
 *   create: ({ n }) => ({ decide: (history) => (history.length % n === 0 ? shift(`${n} rounds`) : hold()) }),
 * });
 */
export interface PolicyPlugin<S extends OptionsSchema = OptionsSchema> {
  /** Short kebab-case name shown in errors, reasons and listings. */
  readonly name: string;
  /** One line: what the policy does. */
  readonly description: string;
  readonly options: S;
  /** Builds a policy for one run; throws `${name}: ${option} must be ..., but got ...` on bad settings. */
  create(options: OptionsOf<S>, context: PolicyContext): Policy;
}

/**
 * Returns the plugin unchanged; it exists so TypeScript infers the option types of `create` from
 * the schema (enum choices become literal unions).
 *
 * @example
 * const plugin = definePolicy({ name: 'never', description: 'Never shifts.', options: {}, create: () => ({ decide: () => hold() }) });
 */
export function definePolicy<const S extends OptionsSchema>(plugin: PolicyPlugin<S>): PolicyPlugin<S> {
  return plugin;
}
