import { Script, createContext } from 'node:vm';
import type { PolicyPlugin } from './plugin.js';
import type { Policy } from './policy.js';

/** Policies from plugins fedgear did not write: their decisions run under a deadline. */
const guarded = new WeakSet<Policy>();

// One context and one compiled script for every guarded call: only the function changes.
const sandbox = createContext({ call: undefined as (() => unknown) | undefined });
const callScript = new Script('call()');

/** A guarded decision ran past its deadline and was stopped. */
export class DeadlineError extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

/**
 * Wraps a plugin loaded from a file or a package: `create()` errors name the plugin and where it
 * came from, and every policy it creates is marked so that `decideGears` runs its decisions under
 * the decision timeout, where even a busy loop (`for (;;) {}`) is stopped.
 *
 * @example
 * const plugin = guardPlugin(await importPlugin('./my-policy.mjs'), './my-policy.mjs');
 */
export function guardPlugin(plugin: PolicyPlugin, source: string): PolicyPlugin {
  return {
    ...plugin,
    create(options, context) {
      let policy: Policy;
      try {
        policy = plugin.create(options, context);
      } catch (error) {
        throw new Error(`policy "${plugin.name}" (${source}) must be created without errors, but create() threw: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (typeof policy === 'object' && policy !== null) guarded.add(policy);
      return policy;
    },
  };
}

/**
 * Marks a policy as guarded, e.g. a combination holding a guarded policy.
 *
 * @example
 * markGuarded(combined);
 */
export function markGuarded(policy: Policy): void {
  guarded.add(policy);
}

/**
 * Whether a policy's decisions must run under a deadline.
 *
 * @example
 * isGuarded(plateau.create(options, context)); // false: built-ins are trusted
 */
export function isGuarded(policy: Policy): boolean {
  return guarded.has(policy);
}

/**
 * Calls `fn` and returns what it returns, but stops it after `ms` milliseconds of synchronous
 * work with a {@link DeadlineError} (node:vm's timeout interrupts any running JavaScript). Work an
 * async function does after its first `await` is outside the deadline: its promise is timed by
 * the caller instead.
 *
 * @example
 * callWithin(100, () => { for (;;) {} }); // throws DeadlineError after 100 ms
 */
export function callWithin<T>(ms: number, fn: () => T): T {
  if (!Number.isFinite(ms) || ms <= 0) return fn();
  const outer = sandbox['call'];
  sandbox['call'] = fn;
  try {
    return callScript.runInContext(sandbox, { timeout: Math.ceil(ms) }) as T;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw new DeadlineError(ms);
    throw error;
  } finally {
    sandbox['call'] = outer;
  }
}

/**
 * The longest one policy decision may take, in ms: `$FEDGEAR_POLICY_TIMEOUT_MS`, else 30 000.
 *
 * @example
 * decideGears(policy, context, { label, timeoutMs: policyTimeoutMs() });
 */
export function policyTimeoutMs(): number {
  const text = process.env['FEDGEAR_POLICY_TIMEOUT_MS'];
  if (text === undefined || text === '') return 30_000;
  const value = Number(text);
  if (!(Number.isInteger(value) && value > 0)) throw new Error(`FEDGEAR_POLICY_TIMEOUT_MS must be a whole number of milliseconds > 0, but got '${text}'.`);
  return value;
}
