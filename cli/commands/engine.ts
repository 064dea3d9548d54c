/**
 * `hunt engine --backend kafka|kinesis|memory`: runs the reference treasure-hunt engine
 * against the running stack until SIGTERM/SIGINT, then stops gracefully.
 */
import type { Command } from 'commander';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createBackend, engineConfigFrom } from '../../engine/bootstrap.ts';
import { loadCatalogue } from '../../engine/catalogue.ts';
import { type EngineConfigKey, envName } from '../../engine/config.ts';
import { startEngine } from '../../engine/engine.ts';
import { EngineConfigError } from '../../engine/errors.ts';
import { jsonLog } from '../../engine/log.ts';
import { resolvePaths, resolvePorts } from '../../stack/config.ts';
import { UsageError } from '../errors.ts';

/** Flags that map one-to-one onto config keys; everything else goes through --set. */
const FLAGS: [flag: string, key: EngineConfigKey, help: string][] = [
  ['--backend <name>', 'backend', 'kafka | kinesis | memory'],
  ['--host <host>', 'host', 'address to listen on (default 127.0.0.1)'],
  ['--port <n>', 'port', "port to listen on (default: the stack's engine port, 8080)"],
  [
    '--brokers <list>',
    'brokers',
    'Kafka bootstrap brokers host:port,... (default: the kafka proxy)',
  ],
  ['--kinesis-endpoint <url>', 'kinesisEndpoint', 'Kinesis endpoint (default: the kinesis proxy)'],
  ['--region <r>', 'region', 'Kinesis region (default us-east-1)'],
  ['--topic <name>', 'topic', 'topic / stream, e.g. hunt-events-<runid> (default hunt-events)'],
  ['--dlq-topic <name>', 'dlqTopic', 'DLQ topic / stream (default <topic>-dlq)'],
  ['--partitions <n>', 'partitions', 'partitions / shards when creating the topic (default 4)'],
  ['--group <id>', 'group', 'consumer group (default hunt-engine-<topic>)'],
  ['--data <file>', 'data', 'catalogue (default scenarios/data/default.json)'],
  ['--ledger <file>', 'ledger', 'append accepted event ids to this file'],
  [
    '--fulfillment-url <url>',
    'fulfillmentUrl',
    'fulfillment service (default: the downstream proxy)',
  ],
  ['--alert-webhook <url>', 'alertWebhook', 'POST firing alerts here (Alertmanager format)'],
];

export function register(program: Command): void {
  const cmd = program
    .command('engine')
    .description('run the treasure-hunt engine (API, producer, consumer) against the stack');
  for (const [flag, key, help] of FLAGS) cmd.option(flag, `${help} [${envName(key)}]`);
  cmd
    .option('--allow-remote', 'allow non-loopback brokers, endpoints and URLs')
    .option('--config <file>', 'YAML/JSON file of settings (any key of engine/config.ts)')
    .option(
      '--set <key=value...>',
      'any other setting, e.g. --set publishTimeoutMs=1000 backlogCritical=50000',
    )
    .action(async (opts: Record<string, unknown>) => {
      const log = jsonLog('engine');
      const config = await asUsage(() =>
        engineConfigFrom({
          paths: resolvePaths(),
          ports: resolvePorts(),
          env: process.env,
          flags: flagsOf(opts),
          configFile: opts.config as string | undefined,
        }),
      );
      const catalogue = await asUsage(() => loadCatalogue(config.data));
      const registry = new Registry();
      collectDefaultMetrics({ register: registry, prefix: 'hunt_process_' });
      const backend = createBackend(config, resolvePaths(), log, 'hunt-engine');
      const engine = await startEngine({ config, catalogue, backend, registry, log });
      await untilSignal(() => engine.stop());
    });
}

/** Commander options → config keys; `--set k=v` entries are merged in as strings. */
export function flagsOf(opts: Record<string, unknown>): Record<string, unknown> {
  const flags: Record<string, unknown> = {};
  for (const [, key] of FLAGS) if (opts[key] !== undefined) flags[key] = opts[key];
  if (opts.allowRemote) flags.allowRemote = true;
  for (const kv of (opts.set as string[] | undefined) ?? []) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new UsageError(`--set ${kv}: expected key=value`);
    flags[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return flags;
}

export async function asUsage<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof EngineConfigError) throw new UsageError(e.message);
    throw e;
  }
}

/** Waits for SIGTERM/SIGINT, runs `stop`, and exits; a second signal exits at once. */
export function untilSignal(stop: () => Promise<void>): Promise<never> {
  return new Promise(() => {
    let stopping = false;
    const onSignal = (sig: NodeJS.Signals) => {
      if (stopping) process.exit(1);
      stopping = true;
      stop().then(
        () => process.exit(0),
        (e: Error) => {
          console.error(`hunt: stop after ${sig} failed: ${e.message}`);
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
