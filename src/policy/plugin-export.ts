import type { PolicyCombinator } from './combinator.js';
import { parseOption, show, type OptionSpec } from './options-schema.js';
import type { PolicyPlugin } from './plugin.js';

/**
 * Finds the policy plugin (or, for built-ins, combinator) a loaded module exports as `default` or
 * as `plugin`, and checks its shape, naming every missing or wrong field in one error.
 *
 * @example
 * policyFromModule(await import('./my-policy.mjs'), './my-policy.mjs'); // the plugin, or throws
 */
export function policyFromModule(module: Readonly<Record<string, unknown>>, source: string): PolicyPlugin | PolicyCombinator {
  const exported = module.default ?? module.plugin;
  if (typeof exported !== 'object' || exported === null) {
    const names = Object.keys(module);
    throw new Error(
      `${source} must export a policy plugin as default or as plugin, but got ${names.length === 0 ? 'no exports' : `exports ${names.join(', ')}`}.`,
    );
  }
  const fields = exported as Record<string, unknown>;
  const problems = typeof fields.combine === 'function' ? headerProblems(fields) : pluginProblems(fields);
  if (problems.length > 0) {
    throw new Error(
      `${source}: the plugin must have ${problems.map((p) => `${p.field} ${p.expected}`).join('; ')}, but got ${problems.map((p) => `${p.field} ${p.got}`).join('; ')}.`,
    );
  }
  return exported as PolicyPlugin | PolicyCombinator;
}

interface Problem {
  readonly field: string;
  readonly expected: string;
  readonly got: string;
}

const optionTypes = ['integer', 'number', 'boolean', 'string', 'enum'];
// Option names map one-to-one to kebab-case flags only if they are plain camelCase.
const optionName = /^[a-z][a-zA-Z0-9]*$/;

function pluginProblems(fields: Record<string, unknown>): Problem[] {
  const problems = [...headerProblems(fields)];
  if (typeof fields.create !== 'function') problems.push({ field: 'create', expected: 'as a function', got: show(fields.create) });
  const options = fields.options;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    problems.push({ field: 'options', expected: 'as an object of option specs', got: show(options) });
    return problems;
  }
  for (const [name, spec] of Object.entries(options)) {
    if (!optionName.test(name)) problems.push({ field: `option ${show(name)}`, expected: 'named in camelCase', got: 'that name' });
    problems.push(...specProblems(`options.${name}`, spec));
  }
  return problems;
}

function headerProblems(fields: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  if (typeof fields.name !== 'string' || fields.name === '') problems.push({ field: 'name', expected: 'as a non-empty string', got: show(fields.name) });
  if (typeof fields.description !== 'string' || fields.description.includes('\n')) {
    problems.push({ field: 'description', expected: 'as a one-line string', got: show(fields.description) });
  }
  return problems;
}

function specProblems(field: string, spec: unknown): Problem[] {
  if (typeof spec !== 'object' || spec === null) return [{ field, expected: 'as an option spec object', got: show(spec) }];
  const { type, help, choices } = spec as Record<string, unknown>;
  const problems: Problem[] = [];
  if (typeof type !== 'string' || !optionTypes.includes(type)) {
    return [{ field: `${field}.type`, expected: `as one of ${optionTypes.join(', ')}`, got: show(type) }];
  }
  if (typeof help !== 'string') problems.push({ field: `${field}.help`, expected: 'as a string', got: show(help) });
  if (type === 'enum' && !(Array.isArray(choices) && choices.length > 0 && choices.every((choice) => typeof choice === 'string'))) {
    return [...problems, { field: `${field}.choices`, expected: 'as a non-empty array of strings', got: show(choices) }];
  }
  const fallback = (spec as OptionSpec).default;
  if (fallback !== undefined) {
    try {
      parseOption(`${field}.default`, spec as OptionSpec, fallback);
    } catch (error) {
      problems.push({ field: `${field}.default`, expected: 'within its own constraint', got: (error as Error).message.replace(/^.*, but got /, '').replace(/\.$/, '') });
    }
  }
  return problems;
}
