import { spawnSync } from 'node:child_process';
import { access, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { combinePlugins } from './combine-plugins.js';
import type { PolicyCombinator } from './combinator.js';
import type { PolicyPlugin } from './plugin.js';
import { policyFromModule } from './plugin-export.js';
import { guardPlugin } from './plugin-guard.js';

// Built-ins are compiled next to the sources: dist/src/policy/ -> dist/policies/.
const builtinDirectory = fileURLToPath(new URL('../../policies/', import.meta.url));
const moduleExtensions = ['.js', '.mjs', '.cjs'];

/** Every built-in, split by kind. */
export interface BuiltinPolicies {
  readonly plugins: readonly PolicyPlugin[];
  readonly combinators: readonly PolicyCombinator[];
}

/**
 * Names of the built-in policies and combinators (the modules in the top-level `policies/` folder), sorted.
 *
 * @example
 * await listBuiltinPolicies(); // ['all', 'any', 'budget', 'fitting-risk', 'fixed', 'forecast', 'never', 'plateau']
 */
export async function listBuiltinPolicies(): Promise<string[]> {
  const files = await readdir(builtinDirectory);
  return files
    .filter((file) => extname(file) === '.js')
    .map((file) => file.slice(0, -'.js'.length))
    .sort();
}

/**
 * Loads every built-in, e.g. to make CLI flags from their option schemas.
 *
 * @example
 * const { plugins } = await loadBuiltinPolicies(); plugins.map((p) => p.name);
 */
export async function loadBuiltinPolicies(): Promise<BuiltinPolicies> {
  const loaded = await Promise.all((await listBuiltinPolicies()).map(loadBuiltin));
  return {
    plugins: loaded.filter((policy): policy is PolicyPlugin => !isCombinator(policy)),
    combinators: loaded.filter(isCombinator),
  };
}

/**
 * Loads a policy plugin from a spec:
 * - a built-in name: `plateau`;
 * - a built-in combinator and the policies it combines, comma-separated: `any:plateau,budget`;
 * - a path to a .js/.mjs/.cjs module, relative to `cwd`: `./my-policy.mjs`;
 * - an installed package name: `fedgear-policy-foo` (looked up from `cwd`, then from fedgear's own location).
 *
 * The module's default export (or its `plugin` export) must be a `PolicyPlugin`.
 *
 * @example
 * const plugin = await loadPolicy('any:plateau,budget');
 * const policy = plugin.create(validateOptions(plugin.name, plugin.options, { patience: '5', budgetMb: '100' }), context);
 */
export async function loadPolicy(spec: string, cwd: string = process.cwd()): Promise<PolicyPlugin> {
  const builtins = await listBuiltinPolicies();
  const combination = /^([a-z][a-z0-9-]*):(.*)$/.exec(spec);
  if (combination !== null && builtins.includes(combination[1]!)) {
    const combinator = await loadBuiltin(combination[1]!);
    if (!isCombinator(combinator)) {
      throw new Error(`a policy before ':' must be a combinator (${(await combinatorNames(builtins)).join(', ')}), but got '${combinator.name}' in '${spec}'.`);
    }
    const inner = combination[2]!.split(',').map((part) => part.trim());
    if (inner.some((part) => part === '')) {
      throw new Error(`${combinator.name} must be followed by policies separated by commas, e.g. '${combinator.name}:plateau,budget', but got '${spec}'.`);
    }
    return combinePlugins(combinator, await Promise.all(inner.map((part) => loadPlugin(part, cwd, builtins))));
  }
  return loadPlugin(spec, cwd, builtins);
}

async function loadPlugin(spec: string, cwd: string, builtins: readonly string[]): Promise<PolicyPlugin> {
  const builtin = !isPath(spec) && builtins.includes(spec);
  const policy = isPath(spec) ? await loadFile(spec, cwd) : builtin ? await loadBuiltin(spec) : await loadPackage(spec, cwd, builtins);
  if (isCombinator(policy)) {
    throw new Error(`${policy.name} combines policies named after a colon, so the policy must be like '${policy.name}:plateau,budget', but got '${spec}'.`);
  }
  // Built-ins are fedgear's own; anything else runs guarded (see guardPlugin).
  return builtin ? policy : guardPlugin(policy, spec);
}

async function loadBuiltin(name: string): Promise<PolicyPlugin | PolicyCombinator> {
  return importPolicy(pathToFileURL(join(builtinDirectory, `${name}.js`)).href, `built-in policy ${name}`);
}

async function loadFile(spec: string, cwd: string): Promise<PolicyPlugin | PolicyCombinator> {
  const path = resolve(cwd, spec);
  if (!moduleExtensions.includes(extname(path))) {
    throw new Error(`a policy file must be a JavaScript module (${moduleExtensions.join(', ')}; compile TypeScript first), but got ${spec}.`);
  }
  try {
    await access(path);
  } catch {
    throw new Error(`a policy file must exist, but got ${spec} (no file at ${path}).`);
  }
  return importPolicy(pathToFileURL(path).href, spec);
}

async function loadPackage(spec: string, cwd: string, builtins: readonly string[]): Promise<PolicyPlugin | PolicyCombinator> {
  const fromProject = resolveFrom(cwd, spec);
  try {
    return await importPolicy(fromProject === undefined ? spec : pathToFileURL(fromProject).href, spec);
  } catch (error) {
    if (!isMissing(error, spec)) throw error;
    throw new Error(`a policy must be a built-in (${builtins.join(', ')}), a .js/.mjs file or an installed package, but got '${spec}'.`);
  }
}

function resolveFrom(cwd: string, spec: string): string | undefined {
  try {
    return createRequire(join(cwd, 'package.json')).resolve(spec);
  } catch {
    return undefined;
  }
}

async function importPolicy(url: string, source: string): Promise<PolicyPlugin | PolicyCombinator> {
  let module: Record<string, unknown>;
  try {
    module = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    if (isMissing(error, source)) throw error;
    const syntax = url.startsWith('file:') ? syntaxError(fileURLToPath(url)) : undefined;
    throw new Error(`policy module ${source} must load without errors, but got ${syntax ?? (error instanceof Error ? `${error.name}: ${error.message}` : String(error))}.`);
  }
  return policyFromModule(module, source);
}

/** `file:line: SyntaxError: …` when a module does not parse, which the ESM loader does not locate: `node --check` does. */
function syntaxError(path: string): string | undefined {
  const check = spawnSync(process.execPath, ['--check', path], { encoding: 'utf8' });
  if (check.status === 0) return undefined;
  const where = /^(.+:\d+)$/m.exec(check.stderr ?? '')?.[1];
  const what = /^(SyntaxError: .*)$/m.exec(check.stderr ?? '')?.[1];
  return where === undefined || what === undefined ? undefined : `${where}: ${what}`;
}

function isMissing(error: unknown, spec: string): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String((error as Error).message).includes(`'${spec}'`);
}

function isPath(spec: string): boolean {
  return spec.startsWith('.') || spec.startsWith('/') || moduleExtensions.includes(extname(spec)) || extname(spec) === '.ts';
}

function isCombinator(policy: PolicyPlugin | PolicyCombinator): policy is PolicyCombinator {
  return 'combine' in policy;
}

async function combinatorNames(builtins: readonly string[]): Promise<string[]> {
  const loaded = await Promise.all(builtins.map(loadBuiltin));
  return loaded.filter(isCombinator).map((combinator) => combinator.name);
}
