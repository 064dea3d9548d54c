/**
 * The engine settings `hunt engine` and `hunt dlq` both take on the command line, and the
 * engine configuration built from them (flags over --config file over environment).
 */
import type { Command } from 'commander';
import { driverNames } from '../drivers/registry.ts';
import { type EngineConfig, type EngineConfigKey, envName } from '../engine/config.ts';
import { resolvePaths, resolvePorts } from '../stack/config.ts';
import { engineConfigFrom } from '../system/engine.ts';
import { settingsOption } from './options.ts';

/** Flags that map one-to-one onto config keys; everything else goes through --set. */
export const ENGINE_FLAGS: [flag: string, key: EngineConfigKey, help: string][] = [
  ['--backend <name>', 'backend', driverNames().join(' | ')],
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

/** Commander options → config keys; `--set k=v` entries are merged in as strings. */
export function flagsOf(opts: Record<string, unknown>): Record<string, unknown> {
  const flags: Record<string, unknown> = {};
  for (const [, key] of ENGINE_FLAGS) if (opts[key] !== undefined) flags[key] = opts[key];
  if (opts.allowRemote) flags.allowRemote = true;
  return { ...flags, ...settingsOption(opts.set as string[] | undefined) };
}

/** The engine configuration for parsed commander options (`--config` names the file). */
export function engineConfigOf(opts: Record<string, unknown>): Promise<EngineConfig> {
  return engineConfigFrom({
    paths: resolvePaths(),
    ports: resolvePorts(),
    env: process.env,
    flags: flagsOf(opts),
    configFile: opts.config as string | undefined,
  });
}

/** Adds one option per ENGINE_FLAGS entry, its help naming the environment variable. */
export function addEngineFlags(cmd: Command): Command {
  for (const [flag, key, help] of ENGINE_FLAGS) cmd.option(flag, `${help} [${envName(key)}]`);
  return cmd;
}
