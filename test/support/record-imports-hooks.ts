/** The module loader hooks of record-imports.ts (they run in the loader's own thread). */
import { appendFileSync } from 'node:fs';
import type { InitializeHook, ResolveHook } from 'node:module';

let file = '';

export const initialize: InitializeHook<{ file: string }> = (data) => {
  file = data.file;
};

export const resolve: ResolveHook = async (specifier, context, nextResolve) => {
  const resolved = await nextResolve(specifier, context);
  // Synchronous, so that nothing is lost when the command exits.
  appendFileSync(file, `${resolved.url}\n`);
  return resolved;
};
