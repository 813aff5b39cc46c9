import { Command, Errors } from '../vendor/oclif-core.js';

/**
 * The base of every fedgear command. With `--json`, oclif prints a failure as `{ error }`, and
 * an `Error` serialises to `{}`: this prints the message instead, with what the error knows of
 * where it happened (`file`, `line`, `field` of a `FileError`, `label` and `round` of a
 * `PolicyError`).
 *
 * @example
 * export default class Replay extends FedgearCommand { ... }
 * // fedgear replay bad-bundle --json  ->  { "error": { "message": "…/small.jsonl:4: …", "file": "…", "line": 4, "field": "validation.accuracy" } }
 */
export abstract class FedgearCommand extends Command {
  /** An unknown flag gets the nearest known one suggested, in one line, rather than the whole help. */
  protected override async catch(error: Error & { exitCode?: number }): Promise<unknown> {
    const unknown = (error as { flags?: unknown }).flags;
    if (error.constructor.name === 'NonExistentFlagsError' && Array.isArray(unknown)) {
      const known = [...Object.keys(this.ctor.flags ?? {}), ...(this.ctor.enableJsonFlag ? ['json'] : [])];
      const command = `${this.config.bin} ${this.id ?? ''}`.trim();
      // Loaded only for this error: every command's start-up stays as it was.
      const { unknownFlagMessage } = await import('./unknown-flag.js');
      return super.catch(new Errors.CLIError(unknownFlagMessage(command, unknown.map(String), known), { exit: 2 }));
    }
    return super.catch(error);
  }

  protected override toErrorJson(error: unknown): { error: Record<string, unknown> } {
    return { error: errorJson(error) };
  }
}

/** The message of an error and its own plain fields (name, file, line, code…), JSON-safe. */
function errorJson(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const fields: Record<string, unknown> = { message: error.message };
  if (error.name !== 'Error') fields['name'] = error.name;
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === 'string' || typeof value === 'number') fields[key] = value;
  }
  return fields;
}
