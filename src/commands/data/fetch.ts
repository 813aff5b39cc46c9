import { Args, Flags } from '../../vendor/oclif-core.js';
import { FedgearCommand } from '../../cli/fedgear-command.js';
import { fetchCifar10, type FetchProgress } from '../../data/fetch-cifar10.js';
import { progressBar } from '../../report/progress-bar.js';

/** `fedgear data fetch cifar10`: download, verify and unpack CIFAR-10 into the per-user cache. */
export default class DataFetch extends FedgearCommand {
  static override summary = 'Download a data set into the per-user cache.';

  static override description = `Downloads the official CIFAR-10 binary archive, checks its MD5 and unpacks it so that "fedgear run" finds it without --data-dir. Does nothing when the cache already holds it (unless --force). Offline, it says how to get the archive by hand.`;

  static override examples = [
    { description: 'Fetch CIFAR-10 into ~/.cache/fedgear:', command: '<%= config.bin %> <%= command.id %> cifar10' },
    { description: 'Fetch into another folder:', command: '<%= config.bin %> <%= command.id %> cifar10 --cache-dir ./data' },
  ];

  static override args = {
    dataset: Args.string({ description: 'Data set to fetch.', options: ['cifar10'], required: true }),
  };

  static override flags = {
    'cache-dir': Flags.string({ summary: 'Folder to unpack into (default: the per-user cache, $XDG_CACHE_HOME/fedgear).' }),
    force: Flags.boolean({ summary: 'Download again even if the data is already there.', default: false }),
  };

  static override enableJsonFlag = true;

  async run(): Promise<{ directory: string; downloaded: boolean }> {
    const { flags } = await this.parse(DataFetch);
    const live = process.stderr.isTTY === true;
    let last = 0;
    const onProgress = ({ done, total }: FetchProgress) => {
      const now = Date.now();
      if (now - last < 200 && done !== total) return;
      last = now;
      const line = progressBar(done, total, 'cifar-10-binary.tar.gz');
      if (live) process.stderr.write(`\r\x1b[2K${line}`);
    };
    const result = await fetchCifar10({
      ...(flags['cache-dir'] === undefined ? {} : { cacheDir: flags['cache-dir'] }),
      force: flags.force,
      onProgress,
    }).finally(() => {
      if (live) process.stderr.write('\n');
    });
    this.log(result.downloaded ? `CIFAR-10 is ready in ${result.directory}` : `CIFAR-10 was already in ${result.directory}`);
    return result;
  }
}
