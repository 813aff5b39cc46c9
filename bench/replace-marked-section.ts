/**
 * Replaces what lies between `<!-- name:start -->` and `<!-- name:end -->` in a document's text,
 * so generated tables live inside hand-written prose. `file` only names the document in the error.
 *
 * @example
 * replaceMarkedSection(text, 'docs/method.md', 'cifar-curves', table);
 */
export function replaceMarkedSection(text: string, file: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${file} must hold the markers ${start} and ${end}, but does not.`);
  return `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`;
}
