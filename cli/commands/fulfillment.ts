/** `hunt fulfillment`: runs the fulfillment service the engine's consumer calls. */
import type { Command } from 'commander';
import { UserError } from '../../common/user-error.ts';
import {
  type Capacity,
  CapacitySchema,
  DEFAULT_CAPACITY,
} from '../../engine/fulfillment/capacity.ts';
import { startFulfillment } from '../../engine/fulfillment/server.ts';
import { HOST, resolvePorts } from '../../stack/config.ts';
import { untilSignal } from '../signals.ts';

/** Capacity flags: [flag, setting, help]. */
const CAPACITY_FLAGS: [string, keyof Capacity, string][] = [
  ['--service-time-ms <n>', 'serviceTimeMs', 'time each request takes once served, ms'],
  [
    '--service-time-per-event-ms <n>',
    'serviceTimePerEventMs',
    'time added per event of a batch, ms (bounds events/s however calls batch)',
  ],
  ['--concurrency <n>', 'concurrency', 'requests served at once'],
  ['--queue-limit <n>', 'queueLimit', 'requests waiting beyond those; more get 503 queue-full'],
  ['--queue-timeout-ms <n>', 'queueTimeoutMs', 'a request queued longer gets 503 queue-timeout'],
  ['--error-rate-5xx <share>', 'errorRate5xx', 'share of served requests answered 500 (0..1)'],
  ['--error-rate-4xx <share>', 'errorRate4xx', 'share of served requests answered 422 (0..1)'],
];

export function register(program: Command): void {
  const cmd = program
    .command('fulfillment')
    .description(
      'run the fulfillment service (idempotent by event id) the engine calls downstream, within a capacity PUT /admin/capacity changes',
    )
    .option('--host <host>', 'address to listen on', HOST)
    .option('--port <n>', 'port (default: the fulfillment port, 8081)')
    .option('--seed <n>', 'seed of the generator picking the requests answered with errors', '1')
    .option('--record <file>', 'append one ndjson line per first fulfilment of an event')
    .option(
      '--instance <id>',
      'a name /healthz echoes, so a caller can tell this service from another',
    );
  for (const [flag, key, help] of CAPACITY_FLAGS) {
    cmd.option(flag, `${help} (default ${DEFAULT_CAPACITY[key]})`);
  }
  cmd.action(async (opts: Record<string, string | undefined>) => {
    const port = opts.port === undefined ? resolvePorts().fulfillment : Number(opts.port);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) {
      throw new UserError(`--port: expected a whole number from 0 to 65535, got '${opts.port}'`);
    }
    const seed = Number(opts.seed);
    if (!Number.isInteger(seed)) {
      throw new UserError(`--seed: expected a whole number, got '${opts.seed}'`);
    }
    const capacity = capacityOf(opts);
    const app = await startFulfillment({
      host: opts.host ?? HOST,
      port,
      capacity,
      seed,
      ...(opts.record ? { record: opts.record } : {}),
      ...(opts.instance ? { instance: opts.instance } : {}),
    });
    console.error(
      JSON.stringify({
        component: 'fulfillment',
        msg: 'listening',
        host: opts.host,
        port,
        capacity,
      }),
    );
    await untilSignal(() => app.close());
  });
}

/** The capacity the flags ask for; a bad value is one line naming its flag. */
function capacityOf(opts: Record<string, string | undefined>): Capacity {
  const c: Record<string, unknown> = { ...DEFAULT_CAPACITY };
  for (const [, key] of CAPACITY_FLAGS) {
    const raw = opts[key];
    if (raw !== undefined) c[key] = raw.trim() === '' ? raw : Number(raw);
  }
  const parsed = CapacitySchema.safeParse(c);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const key = String(issue.path[0] ?? '');
  const flag = CAPACITY_FLAGS.find(([, k]) => k === key)?.[0].split(' ')[0];
  if (!flag) {
    throw new UserError(
      `--error-rate-5xx + --error-rate-4xx: must not exceed 1, got ${c.errorRate5xx} + ${c.errorRate4xx}`,
    );
  }
  throw new UserError(`${flag}: ${issue.message}, got '${opts[key] ?? ''}'`);
}
