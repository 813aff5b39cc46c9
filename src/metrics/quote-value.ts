// Characters a terminal may act on or that hide what a value is: C0 and C1 controls, DEL, soft
// hyphen, zero-width and bidirectional marks, line and paragraph separators, the byte order mark,
// and U+FFFD (what a byte that is not UTF-8 decodes to).
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffd]/gu;

/**
 * A value from an input file as an error message may show it: quoted like JSON, with every
 * control, invisible or undecodable character written as `\uXXXX` (so binary junk is never
 * echoed raw to a terminal), and cut to `max` characters, saying how long it was.
 *
 * @example
 * quoteValue('\u001b[31mred'); // '"\\u001b[31mred"'
 * quoteValue('x'.repeat(500)); // '"xxxx…xx"… (500 characters)'
 */
export function quoteValue(value: unknown, max = 60): string {
  if (typeof value === 'string') return cut(value, max, (shown) => escapeUnsafe(JSON.stringify(shown)));
  return cut(escapeUnsafe(JSON.stringify(value) ?? String(value)), max, (shown) => shown);
}

/**
 * Text from an input file (a CSV cell) as an error message may show it between quotes of its
 * own: like {@link quoteValue}, without adding quotes.
 *
 * @example
 * `but got '${escapeText(cell)}'.`
 */
export function escapeText(text: string, max = 60): string {
  return cut(text, max, escapeUnsafe);
}

function cut(text: string, max: number, show: (shown: string) => string): string {
  const characters = Array.from(text);
  return characters.length > max ? `${show(characters.slice(0, max).join(''))}… (${characters.length} characters)` : show(text);
}

function escapeUnsafe(text: string): string {
  return text.replace(UNSAFE, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
