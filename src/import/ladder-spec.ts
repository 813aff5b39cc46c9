/** One gear of an imported run's ladder, as `--ladder` gives it. */
export interface LadderSpec {
  readonly name: string;
  readonly parameters: number;
  /** Bytes one round of this gear moves; when absent, taken from the rounds that trained it. */
  readonly bytesPerRound?: number;
}

/**
 * Parses `--ladder`: gears smallest first, comma-separated, each `name:parameters` or
 * `name:parameters:bytesPerRound`.
 *
 * @example
 * parseLadder('small:70546,large:655802:15739248'); // [{ name: 'small', parameters: 70546 }, { name: 'large', parameters: 655802, bytesPerRound: 15739248 }]
 */
export function parseLadder(text: string): LadderSpec[] {
  const gears = text.split(',').map((part) => {
    const [name, parameters, bytes, ...rest] = part.trim().split(':');
    const count = (value: string | undefined) => (value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined);
    if (name === undefined || name === '' || count(parameters) === undefined || (bytes !== undefined && count(bytes) === undefined) || rest.length > 0) {
      throw new Error(`--ladder must be gears smallest first, each name:parameters or name:parameters:bytesPerRound, separated by commas, but got '${part}' in '${text}'.`);
    }
    return { name, parameters: count(parameters)!, ...(bytes === undefined ? {} : { bytesPerRound: count(bytes)! }) };
  });
  const names = gears.map((gear) => gear.name);
  const twice = names.find((name, index) => names.indexOf(name) !== index);
  if (twice !== undefined) throw new Error(`--ladder must name each gear once, but got '${twice}' twice in '${text}'.`);
  return gears;
}
