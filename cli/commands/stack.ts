import type { Command } from 'commander';
import { EXIT, ExitError } from '../../common/exit-codes.ts';
import { table } from '../../common/table.ts';
import { localDrivers } from '../../drivers/registry.ts';
import { resolvePaths, resolvePorts } from '../../stack/config.ts';
import { stackDown, stackOptionsFromFlags, stackStatus, stackUp } from '../../system/stack.ts';
import { onStopSignals } from '../signals.ts';

const log = (line: string) => console.log(line);

export function register(program: Command): void {
  const stack = program
    .command('stack')
    .description('the local stack: Kafka (KRaft), kinesalite and Toxiproxy on 127.0.0.1')
    .addHelpText(
      'after',
      '\nPorts: defaults Kafka 9092, Toxiproxy 8474, kinesalite 4567, ...,\n' +
        'shifted by HUNT_PORT_OFFSET or set one by one with HUNT_PORT_<NAME> (e.g. HUNT_PORT_KAFKA).\n' +
        'State (pid files, logs, data): $HUNT_STATE, default $HUNT_CACHE/stack.',
    );

  const up = stack.command('up').description('start every component and wait until each is ready');
  // Each broker's stand-in brings its own flags (drivers/<name>/driver.ts).
  for (const d of localDrivers())
    for (const f of d.local.stackFlags ?? []) up.option(f.flags, f.description);
  up.action(async (opts: Record<string, string | undefined>) => {
    const options = stackOptionsFromFlags(opts, process.env);
    const paths = resolvePaths();
    // Ctrl-C while starting must not leave half a stack behind.
    let dispose = () => {};
    let signalled = false;
    const interrupted = new Promise<never>((_, reject) => {
      dispose = onStopSignals((sig) => {
        signalled = true;
        log(`[stack] ${sig}: stopping what started (again to exit now)`);
        void stackDown(paths, log).finally(() =>
          reject(new ExitError(EXIT.interrupted, `stack up: ${sig}: stopped what had started`)),
        );
      });
    });
    interrupted.catch(() => {});
    try {
      await Promise.race([stackUp(paths, resolvePorts(), log, { options }), interrupted]);
      // A stack that came up while it was being stopped ends stopped, and interrupted.
      if (signalled) await interrupted;
    } finally {
      dispose();
    }
  });

  stack
    .command('down')
    .description('stop everything the stack started (also after the CLI itself was killed)')
    .action(async () => {
      await stackDown(resolvePaths(), log);
    });

  stack
    .command('status')
    .description("each component's state, pid, ports and version; exit 2 unless all are running")
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const status = await stackStatus(resolvePaths(), resolvePorts());
      if (opts.json) {
        console.log(JSON.stringify(status, null, 2));
      } else {
        console.log(
          table(
            ['component', 'state', 'pid', 'version', 'ports', 'log'],
            status.components.map((c) => [
              c.name,
              c.state,
              c.pid === null ? '-' : String(c.pid),
              c.version ?? '-',
              Object.entries(c.ports)
                .map(([role, port]) => `${role}=${port}`)
                .join(' '),
              c.log ?? '-',
            ]),
          ),
        );
      }
      // A stack that is not up is a missing prerequisite for what would follow.
      if (!status.up) throw new ExitError(EXIT.usage, 'stack: not every component is running');
    });
}
