/**
 * Preloaded with `node --import`, records the URL of every module the ES module loader resolves,
 * one a line, into the file named by $FEDGEAR_RECORD_IMPORTS, so that a test can check what a
 * command loaded; when the process exits, it adds the path of every CommonJS file `require`
 * loaded (a bundle may require a package, as oclif's does TypeScript's).
 *
 * @example
 * const { imports } = await recordImports([FEDGEAR_BIN, 'policies']); // fedgear-cli.ts
 */
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const file = process.env['FEDGEAR_RECORD_IMPORTS'];
if (file === undefined) throw new Error('FEDGEAR_RECORD_IMPORTS must name the file to record imports into, but got nothing.');
register(new URL('./record-imports-hooks.js', import.meta.url), { data: { file } });
process.on('exit', () => {
  const required = Object.keys(createRequire(import.meta.url).cache);
  if (required.length > 0) appendFileSync(file, `${required.join('\n')}\n`);
});
