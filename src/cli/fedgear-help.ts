import { CommandHelp, Help } from '../vendor/oclif-core.js';

// Flag groups in the order a user reads a run: what is trained, how, who decides, where it goes.
const GROUP_ORDER = ['SCENARIO', 'TRAINING', 'POLICY', 'OUTPUT'];

/**
 * A command's help with its flag groups in `GROUP_ORDER` (others, such as GLOBAL, after them) and
 * its examples last, after the long flag descriptions oclif puts below them.
 */
class ExamplesLastCommandHelp extends CommandHelp {
  protected override groupFlags(flags: Parameters<CommandHelp['groupFlags']>[0]): ReturnType<CommandHelp['groupFlags']> {
    const { flagGroups, mainFlags } = super.groupFlags(flags);
    const rank = (group: string) => (GROUP_ORDER.includes(group) ? GROUP_ORDER.indexOf(group) : GROUP_ORDER.length);
    const ordered = Object.entries(flagGroups).sort(([a], [b]) => rank(a) - rank(b));
    return { flagGroups: Object.fromEntries(ordered), mainFlags };
  }

  protected override sections(): ReturnType<CommandHelp['sections']> {
    const sections = super.sections();
    return [...sections.filter((section) => section.header !== 'EXAMPLES'), ...sections.filter((section) => section.header === 'EXAMPLES')];
  }
}

/**
 * fedgear's help (package.json `oclif.helpClass`): oclif's, except that flag groups come in a
 * fixed order (scenario, training, policy, output) and every command's help ends with its
 * examples, where a reader who scrolled to the end looks for them.
 *
 * @example
 * // fedgear sweep --help: USAGE, ARGUMENTS, FLAGS, DESCRIPTION, FLAG DESCRIPTIONS, EXAMPLES
 */
export default class FedgearHelp extends Help {
  protected override CommandHelpClass = ExamplesLastCommandHelp;
}
