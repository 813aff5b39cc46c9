import { Flags } from '../vendor/oclif-core.js';

/**
 * The flags `fedgear replay` and `fedgear tune` share: which policy, what to minimise, and what
 * accuracy the fractions refer to. The policy's own options come from `policyFlags`.
 *
 * @example
 * static override flags = { ...replayFlags, ...policyFlags };
 */
export const replayFlags = {
  policy: Flags.string({ summary: 'Gear policy: a built-in name, any:a,b / all:a,b, a .js/.mjs file, or a package.', default: 'plateau' }),
  objective: Flags.string({
    summary: 'What to minimise, also told to the policy: time-to:F (seconds to F x reference accuracy), mb-to:F (MB to it), max-accuracy, accuracy-at-mb:M or accuracy-at-seconds:S (best accuracy within M MB or S seconds).',
    default: 'time-to:0.9',
  }),
  reference: Flags.string({ summary: "Accuracy the fractions refer to: large (each bundle's 12-12 max test accuracy) or a number in (0, 1].", default: 'large' }),
};

/**
 * Parses `--reference`: "large" or an accuracy in (0, 1].
 *
 * @example
 * parseReference('0.7'); // 0.7
 */
export function parseReference(text: string): 'large' | number {
  if (text === 'large') return 'large';
  const value = Number(text);
  if (text.trim() === '' || !(value > 0 && value <= 1)) throw new Error(`--reference must be 'large' or an accuracy in (0, 1], but got '${text}'.`);
  return value;
}

/**
 * Parses `--accuracy-at-mb`: MB budgets separated by commas, each > 0.
 *
 * @example
 * parseBudgets('300,500'); // [300, 500]
 */
export function parseBudgets(text: string): number[] {
  return text.split(',').map((part) => {
    const value = Number(part);
    if (part.trim() === '' || !(value > 0 && Number.isFinite(value))) throw new Error(`--accuracy-at-mb must be MB budgets > 0 separated by commas, but got '${text}'.`);
    return value;
  });
}
