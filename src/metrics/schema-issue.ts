import type * as z from '../vendor/zod.js';
import { quoteValue } from './quote-value.js';

/** What is wrong with a value, by its first failing field. */
export interface SchemaIssue {
  /** Dotted path of the field, e.g. `validation.accuracy`; `line` for the value as a whole. */
  readonly field: string;
  /** The whole sentence: `validation.accuracy Too big: expected number to be <=1, but got 1.5.` */
  readonly message: string;
}

/** A value that matched its schema, or the first reason it did not. */
export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issue: SchemaIssue };

/**
 * Checks a parsed JSON line against a zod schema and, when it fails, says which field and what
 * it got, in fedgear's error shape. Run files and the `fedgear decide` protocol report their lines
 * through it, so both read alike.
 *
 * @example
 * const checked = checkLine(roundLine, JSON.parse(text));
 * if (!checked.ok) throw new Error(`runs/a.jsonl:7: ${checked.issue.message}`);
 */
export function checkLine<T extends z.ZodType>(schema: T, value: unknown, hints: Readonly<Record<string, string>> = {}): Checked<z.infer<T>> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0]!;
  const field = issue.path.join('.') || 'line';
  const got = issue.path.reduce<unknown>((v, key) => (v as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey], value);
  const hint = hints[field] === undefined ? '' : ` (${hints[field]})`;
  return { ok: false, issue: { field, message: `${field} ${issue.message.replace(/^Invalid input: /, '')}${hint}, but got ${quoteValue(got)}.` } };
}
