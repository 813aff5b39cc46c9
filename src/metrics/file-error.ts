/** Where in a file a problem is: the file, and the 1-based line and the field when known. */
export interface FileLocation {
  readonly file: string;
  readonly line?: number;
  readonly field?: string;
}

/**
 * An error in a file fedgear reads (a run file, a manifest), carrying its location apart from
 * the message, so `--json` can report file, line and field as fields.
 *
 * @example
 * throw new FileError(`${path}:7: validation.accuracy must be <= 1, but got 1.5.`, { file: path, line: 7, field: 'validation.accuracy' });
 */
export class FileError extends Error {
  readonly file: string;
  readonly line?: number;
  readonly field?: string;

  constructor(message: string, location: FileLocation) {
    super(message);
    this.file = location.file;
    if (location.line !== undefined) this.line = location.line;
    if (location.field !== undefined) this.field = location.field;
  }
}
