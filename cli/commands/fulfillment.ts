/** `hunt fulfillment`: runs the fulfillment service the engine's consumer calls. */
import type { Command } from 'commander';
import { UserError } from '../../common/user-error.ts';
import { startFulfillment } from '../../engine/fulfillment/server.ts';
import { HOST, resolvePorts } from '../../stack/config.ts';
import { untilSignal } from '../signals.ts';

export function register(program: Command): void {
  program
    .command('fulfillment')
    .description('run the fulfillment service (idempotent by event id) the engine calls downstream')
    .option('--host <host>', 'address to listen on', HOST)
    .option('--port <n>', 'port (default: the fulfillment port, 8081)')
    .option('--delay-ms <n>', 'artificial service time per batch, ms', '0')
    .option(
      '--instance <id>',
      'a name /healthz echoes, so a caller can tell this service from another',
    )
    .action(async (opts: { host: string; port?: string; delayMs: string; instance?: string }) => {
      const port = opts.port === undefined ? resolvePorts().fulfillment : Number(opts.port);
      const delayMs = Number(opts.delayMs);
      if (!Number.isInteger(port) || port < 0 || port > 65_535) {
        throw new UserError(`--port: expected a whole number from 0 to 65535, got '${opts.port}'`);
      }
      if (!Number.isInteger(delayMs) || delayMs < 0) {
        throw new UserError(`--delay-ms: expected a whole number ≥ 0, got '${opts.delayMs}'`);
      }
      const app = await startFulfillment({
        host: opts.host,
        port,
        delayMs,
        ...(opts.instance ? { instance: opts.instance } : {}),
      });
      console.error(
        JSON.stringify({ component: 'fulfillment', msg: 'listening', host: opts.host, port }),
      );
      await untilSignal(() => app.close());
    });
}
