import type { Command } from 'commander';
import { EXIT } from '../../common/exit-codes.ts';
import { table } from '../../common/table.ts';
import { localDrivers } from '../../drivers/registry.ts';
import { resolvePaths, resolvePorts } from '../../stack/config.ts';
import { stackDown, stackOptionsFromFlags, stackStatus, stackUp } from '../../system/stack.ts';

const log = (line: string) => console.log(line);

export function register(program: Command): void {
  const stack = program
    .command('stack')
    .description('the local stack: Kafka (KRaft), kinesalite and Toxiproxy on 127.0.0.1')
    .addHelpText(
      'after',
      '\nPorts: defaults from DESIGN (Kafka 9092, Toxiproxy 8474, kinesalite 4567, ...),\n' +
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
    const abort = () => {
      void stackDown(paths, log).finally(() => process.exit(EXIT.interrupted));
    };
    process.once('SIGINT', abort);
    process.once('SIGTERM', abort);
    await stackUp(paths, resolvePorts(), log, { options });
    process.off('SIGINT', abort);
    process.off('SIGTERM', abort);
  });

  stack
    .command('down')
    .description('stop everything the stack started (also after the CLI itself was killed)')
    .action(async () => {
      await stackDown(resolvePaths(), log);
    });

  stack
    .command('status')
    .description("each component's state, pid, ports and version; exit 1 unless all are running")
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
      process.exitCode = status.up ? EXIT.ok : EXIT.failed;
    });
}
