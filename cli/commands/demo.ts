import type { Command } from 'commander';
import { resolvePaths, resolvePorts } from '../../stack/config.ts';
import { setup } from '../../stack/setup.ts';
import { readStackInfo, stackDown, stackStatus, stackUp } from '../../stack/stack.ts';

const log = (line: string) => console.log(line);

export function register(program: Command): void {
  program
    .command('demo')
    .description('the main job: install tools when needed, bring the stack up, check it, take it down')
    .action(async () => {
      const paths = resolvePaths();
      await setup(paths, log, { quiet: true });
      const wasUp = readStackInfo(paths) !== undefined;
      const abort = () => void stackDown(paths, log).finally(() => process.exit(130));
      if (!wasUp) {
        process.once('SIGINT', abort);
        process.once('SIGTERM', abort);
      }
      try {
        await stackUp(paths, resolvePorts(), log);
        const status = await stackStatus(paths, resolvePorts());
        for (const c of status.components) log(`[demo] ${c.name}: ${c.state} ${c.version ?? ''}`);
        if (!status.up) process.exitCode = 1;
      } finally {
        if (!wasUp) await stackDown(paths, log);
      }
    });
}
