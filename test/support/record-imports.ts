/**
 * Preloaded with `node --import`, records the URL of every module the ES module loader resolves,
 * one a line, into the file named by $FEDGEAR_RECORD_IMPORTS, so that a test can check what a
 * command loaded. (Modules that CommonJS packages `require` among themselves are not seen; a
 * package our ES modules import is.)
 *
 * @example
 * const { imports } = await recordImports([FEDGEAR_BIN, 'policies']); // fedgear-cli.ts
 */
import { register } from 'node:module';

const file = process.env['FEDGEAR_RECORD_IMPORTS'];
if (file === undefined) throw new Error('FEDGEAR_RECORD_IMPORTS must name the file to record imports into, but got nothing.');
register(new URL('./record-imports-hooks.js', import.meta.url), { data: { file } });
