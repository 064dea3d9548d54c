import type { Command } from 'commander';
import { resolvePaths } from '../../stack/config.ts';
import { setup } from '../../stack/install.ts';

export function register(program: Command): void {
  program
    .command('setup')
    .description(
      'install the pinned tools (k6, Toxiproxy, Kafka) into $HUNT_CACHE (default ~/.cache/hunt-harness)',
    )
    .option('--quiet', 'print only the steps that install something')
    .action(async (opts: { quiet?: boolean }) => {
      await setup(resolvePaths(), (line) => console.log(line), opts);
    });
}
