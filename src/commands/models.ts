import { Flags } from '../vendor/oclif-core.js';
import { FedgearCommand } from '../cli/fedgear-command.js';
import { buildLadder, DEFAULT_WIDTH, LADDERS } from '../models/ladder.js';
import { describeGears, formatModelTable, type GearSummary } from '../report/model-table.js';

/** `fedgear models`: the gears of a model ladder, layer by layer, with their transfer sizes. */
export default class Models extends FedgearCommand {
  static override summary = 'Show the models of a ladder: layers, parameters and bytes per transfer.';

  static override description = `Each gear of the ladder, smallest first: its weight layers (convolutions and dense layers), every layer with its output shape and parameters, the megabytes one transfer of its weights costs (float32, 1 MB = 10^6 bytes), and its size relative to the previous gear.

Each gear grows into the next without changing what it computes (--transfer stack of "fedgear run"): convolutions and dense layers are widened by copying units, and the added layers start as the identity.`;

  static override examples = [
    { description: "The paper's pair (a 6-layer and a 12-layer CNN) for CIFAR-10:", command: '<%= config.bin %> <%= command.id %>' },
    { description: 'The three-gear ladder for 28x28 greyscale images, at width 8:', command: '<%= config.bin %> <%= command.id %> --ladder three --input 28x28x1 --width 8' },
    { description: 'As JSON:', command: '<%= config.bin %> <%= command.id %> --json' },
  ];

  static override enableJsonFlag = true;

  static override flags = {
    ladder: Flags.string({ summary: 'Model ladder: paper = small -> large, three = tiny -> small -> large.', options: Object.keys(LADDERS), default: 'paper' }),
    width: Flags.integer({ summary: 'Width multiplier: filters of the small model\'s first convolution.', min: 1, default: DEFAULT_WIDTH }),
    input: Flags.custom<[number, number, number]>({ parse: async (text) => parseShape(text) })({
      summary: 'Input image shape, HxWxC: 32x32x3 (CIFAR-10) or 28x28x1 (MNIST-like), or any other.',
      default: [32, 32, 3],
      defaultHelp: async () => '32x32x3',
    }),
    classes: Flags.integer({ summary: 'Number of classes.', min: 2, default: 10 }),
  };

  async run(): Promise<{ ladder: string; width: number; inputShape: number[]; gears: GearSummary[] }> {
    const { flags } = await this.parse(Models);
    const inputShape = flags.input;
    const gears = describeGears(buildLadder(flags.ladder, { width: flags.width, inputShape, classes: flags.classes }));
    this.log(formatModelTable(gears));
    return { ladder: flags.ladder, width: flags.width, inputShape, gears };
  }
}

function parseShape(text: string): [number, number, number] {
  const match = /^(\d+)x(\d+)x(\d+)$/.exec(text.trim());
  const dims = match?.slice(1).map(Number);
  if (dims === undefined || dims.some((dim) => dim < 1)) {
    throw new Error(`--input must be HxWxC with positive integers (e.g. 32x32x3 or 28x28x1), but got ${JSON.stringify(text)}.`);
  }
  return [dims[0]!, dims[1]!, dims[2]!];
}
