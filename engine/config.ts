import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { isLoopback } from '../stack/config.ts';
import { DESIGN_NAMES, resolveSwitches, SWITCH_KEYS, type Switches } from './designs.ts';
import { dlqTopicOf } from './dlq/entry.ts';
import { EngineConfigError } from './errors.ts';

/** The SASL mechanisms a Kafka client may sign in with (what each means is the Kafka driver's). */
export const SASL_MECHANISMS = ['scram-sha-256', 'scram-sha-512', 'plain', 'aws-msk-iam'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

const name = z.string().regex(/^[A-Za-z0-9._-]{1,200}$/, 'letters, digits, . _ - (1–200)');
const int = (min: number, max: number) => z.number().int().min(min).max(max);
const ms = int(1, 600_000);

/**
 * Every engine setting. Flat on purpose: each key is also a flag (`--set key=value`), an
 * environment variable (`HUNT_ENGINE_<KEY>`, e.g. HUNT_ENGINE_PUBLISH_TIMEOUT_MS) and a
 * key of the config file. Unknown keys are errors.
 */
export const EngineConfigSchema = z.strictObject({
  /** A driver's name (drivers/registry.ts); checked against the registry where the engine is assembled. */
  backend: z.string().regex(/^[a-z][a-z0-9-]*$/, 'a driver name'),
  host: z.string().min(1),
  port: int(0, 65_535),
  /** Kafka bootstrap brokers, host:port. */
  brokers: z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'host:port')).min(1),
  /** Absent: the AWS SDK's own regional endpoint and default credential chain (real Kinesis). */
  kinesisEndpoint: z.url().optional(),
  region: z.string().min(1),
  topic: name,
  /**
   * false: the topic/stream (and its DLQ) must exist and is used as is, never created or
   * deleted; a consumer group without offsets starts at the engine's start, not the history.
   */
  createTopic: z.boolean(),
  /** The run this engine serves, shown in /status so that a run can tell its engine from another. */
  runId: name.optional(),
  /** Default: `<topic>-dlq`. */
  dlqTopic: name.optional(),
  /** Kafka partitions / Kinesis shards when the engine creates the topic/stream. */
  partitions: int(1, 256),
  /** Default: `hunt-engine-<topic>`. */
  group: name.optional(),
  /**
   * false: a producer-only instance (one of several behind a balancer) that never reads the
   * topic; another instance consumes. Its own backlog then counts everything it accepted.
   */
  consume: z.boolean(),
  data: z.string().min(1),
  ledger: z.string().min(1).optional(),
  fulfillmentUrl: z.url(),
  alertWebhook: z.url().optional(),
  /** Targets outside 127.0.0.0/8 are refused unless this is set. */
  allowRemote: z.boolean(),
  /** A preset of the switches below (designs.ts); an explicitly set switch overrides it. */
  design: z.enum(DESIGN_NAMES),
  admissionBreaker: z.boolean().optional(),
  producerBreaker: z.boolean().optional(),
  downstreamBreaker: z.boolean().optional(),
  dlq: z.boolean().optional(),
  backlogAlert: z.boolean().optional(),
  boundedQueue: z.boolean().optional(),
  /**
   * The engine process's V8 heap limit, MiB: where a run spawns the engine it passes
   * `--max-old-space-size`; absent, Node's own default. The engine only reports it.
   */
  heapMiB: int(32, 1_048_576).optional(),
  bodyLimitBytes: int(256, 1_048_576),
  maxQueue: int(1, 1_000_000),
  maxBatch: int(1, 500),
  lingerMs: int(0, 1000),
  maxInFlight: int(1, 64),
  publishTimeoutMs: ms,
  producerBreakerFailures: int(1, 1000),
  producerHalfOpenAfterMs: ms,
  /** Backlog (events) at which writes are shed with `backlog-critical` ... */
  backlogCritical: int(1, 100_000_000),
  /** ... until it falls below this. */
  backlogResume: int(0, 100_000_000),
  downstreamTimeoutMs: ms,
  downstreamMaxAttempts: int(1, 100),
  downstreamRetryBaseMs: ms,
  downstreamRetryMaxMs: ms,
  downstreamBreakerFailures: int(1, 1000),
  downstreamHalfOpenAfterMs: ms,
  alertBacklog: int(1, 100_000_000),
  alertBacklogForS: int(0, 3600),
  alertBreakerForS: int(0, 3600),
  alertDlqRate: z.number().min(0).max(1),
  alertDlqWindowS: int(1, 3600),
  /** Broker lag poll interval, ms. */
  lagPollMs: ms,
  /**
   * Kinesis consumer cadence: at least this long between GetRecords calls on a shard, busy
   * or idle (200: five calls a second, the shard's limit; KCL polls every 1,000 or 1,500).
   */
  kinesisPollMs: int(200, 60_000),
  /** The Kafka producer's client (drivers/kafka/); the admin uses kafkajs. */
  kafkaProducer: z.enum(['kafkajs', 'platformatic']),
  /** The Kafka consumer group's client (drivers/kafka/); the audit's reader stays on kafkajs. */
  kafkaConsumer: z.enum(['kafkajs', 'platformatic']),
  /** TLS to the brokers (drivers/kafka/security.ts); the files below are PEM. */
  kafkaTls: z.boolean(),
  /** The CA(s) to trust; default: Node's system CAs. */
  kafkaTlsCa: z.string().min(1).optional(),
  /** An optional client certificate and its key. */
  kafkaTlsCert: z.string().min(1).optional(),
  kafkaTlsKey: z.string().min(1).optional(),
  kafkaSaslMechanism: z.enum(SASL_MECHANISMS).optional(),
  kafkaSaslUsername: z.string().min(1).optional(),
  /** A secret (engine/secrets.ts): best set as HUNT_ENGINE_KAFKA_SASL_PASSWORD. */
  kafkaSaslPassword: z.string().min(1).optional(),
});
export type EngineConfigInput = z.infer<typeof EngineConfigSchema>;
/** Resolved: the switches are final booleans (the design's, or the ones set explicitly). */
export type EngineConfig = Omit<EngineConfigInput, keyof Switches> &
  Switches & { dlqTopic: string; group: string };
export type EngineConfigKey = keyof EngineConfigInput;

/** A driver's word on the settings (resolveEngineConfig's `broker`). */
export interface BrokerCheck {
  problems: string[];
  hosts: [setting: string, host: string][];
}

export interface Endpoints {
  engine: number;
  kafka: string;
  kinesis: string;
  fulfillment: string;
}

export function defaultConfig(ep: Endpoints): Omit<EngineConfigInput, 'backend'> {
  return {
    host: '127.0.0.1',
    port: ep.engine,
    brokers: [ep.kafka],
    kinesisEndpoint: ep.kinesis,
    region: 'us-east-1',
    topic: 'hunt-events',
    createTopic: true,
    partitions: 4,
    consume: true,
    data: 'scenarios/data/default.json',
    fulfillmentUrl: ep.fulfillment,
    allowRemote: false,
    design: 'hardened',
    bodyLimitBytes: 16_384,
    maxQueue: 20_000,
    maxBatch: 500,
    // Each broker call costs far more CPU than a record in it (engine/README.md, Benchmark):
    // 15 ms makes a call carry 7 records at 500/s instead of 2-3, within the HTTP budgets.
    lingerMs: 15,
    maxInFlight: 4,
    publishTimeoutMs: 2_000,
    producerBreakerFailures: 3,
    producerHalfOpenAfterMs: 2_000,
    backlogCritical: 200_000,
    backlogResume: 100_000,
    downstreamTimeoutMs: 2_000,
    downstreamMaxAttempts: 5,
    downstreamRetryBaseMs: 50,
    downstreamRetryMaxMs: 1_000,
    downstreamBreakerFailures: 3,
    downstreamHalfOpenAfterMs: 1_000,
    alertBacklog: 50_000,
    alertBacklogForS: 10,
    alertBreakerForS: 0,
    alertDlqRate: 0.01,
    alertDlqWindowS: 60,
    lagPollMs: 1_000,
    kinesisPollMs: 200,
    // bench:engine favours @platformatic/kafka for both, but its producer's start fails on a
    // fresh three-broker cluster (initProducerId out of retries): kafkajs stays (README).
    kafkaProducer: 'kafkajs',
    kafkaConsumer: 'kafkajs',
    kafkaTls: false,
  };
}

export const envName = (key: string) =>
  `HUNT_ENGINE_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

type Raw = Record<string, unknown>;

/** Turns a string from env or `--set` into the type the key's default has. */
function coerce(key: string, raw: string, like: unknown): unknown {
  if (Array.isArray(like) || key === 'brokers')
    return raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  // heapMiB is a number with no default to take the type from.
  if (typeof like === 'number' || key === 'heapMiB') {
    const n = Number(raw);
    return raw.trim() === '' || Number.isNaN(n) ? raw : n;
  }
  if (typeof like === 'boolean' || (SWITCH_KEYS as readonly string[]).includes(key)) {
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
  }
  return raw;
}

export async function readConfigFile(path: string): Promise<Raw> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new EngineConfigError(`--config: cannot read ${path}: ${(e as Error).message}`);
  }
  let v: unknown;
  try {
    v = parseYaml(text);
  } catch (e) {
    throw new EngineConfigError(`--config: ${path} is not YAML/JSON: ${(e as Error).message}`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new EngineConfigError(`--config: ${path} must hold a mapping of settings`);
  }
  return v as Raw;
}

/**
 * Merges defaults < file < environment < flags, validates, and derives the DLQ topic and
 * group. Errors name each bad setting and where it came from.
 */
export function resolveEngineConfig(p: {
  defaults: Omit<EngineConfigInput, 'backend'>;
  file?: Raw;
  env?: Record<string, string | undefined>;
  flags?: Raw;
  /**
   * What the configured backend's driver says of the settings: problems (one line each, naming
   * the setting) and the hosts it would connect to, by setting, for the loopback guard.
   */
  broker?: (c: EngineConfigInput) => BrokerCheck;
  /** The drivers' names (drivers/registry.ts): any other backend is refused. */
  backends?: readonly string[];
}): EngineConfig {
  const merged: Raw = { ...p.defaults };
  const origin: Record<string, string> = {};
  const keys = Object.keys(EngineConfigSchema.shape);
  for (const [k, v] of Object.entries(p.file ?? {})) {
    merged[k] = v;
    origin[k] = 'config file';
  }
  for (const k of keys) {
    const v = p.env?.[envName(k)];
    if (v === undefined) continue;
    merged[k] = coerce(k, v, (p.defaults as Raw)[k]);
    origin[k] = envName(k);
  }
  for (const [k, v] of Object.entries(p.flags ?? {})) {
    if (v === undefined) continue;
    merged[k] = typeof v === 'string' ? coerce(k, v, (p.defaults as Raw)[k]) : v;
    origin[k] = 'flag';
  }
  // An empty endpoint (`--kinesis-endpoint ''`, `kinesisEndpoint: null`) means AWS's own.
  if (merged.kinesisEndpoint === '' || merged.kinesisEndpoint === null)
    delete merged.kinesisEndpoint;
  const parsed = EngineConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.flatMap((i) => {
      const keys = i.code === 'unrecognized_keys' ? i.keys : [i.path.join('.') || '(config)'];
      return keys.map((k) => `  ${k} (${origin[k.split('.')[0]!] ?? 'default'}): ${i.message}`);
    });
    throw new EngineConfigError(`invalid engine configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  if (p.backends && !p.backends.includes(c.backend)) {
    throw new EngineConfigError(
      `invalid engine configuration:\n  backend (${origin.backend ?? 'default'}): no driver '${c.backend}'; one of ${p.backends.join(', ')}`,
    );
  }
  if (c.backlogResume >= c.backlogCritical) {
    throw new EngineConfigError(
      `invalid engine configuration:\n  backlogResume (${c.backlogResume}) must be below backlogCritical (${c.backlogCritical})`,
    );
  }
  const broker = p.broker?.(c);
  const problems = broker?.problems ?? [];
  if (problems.length > 0) {
    throw new EngineConfigError(
      `invalid engine configuration:\n${problems.map((l) => `  ${l}`).join('\n')}`,
    );
  }
  if (!c.allowRemote) assertLoopback(c, broker?.hosts ?? []);
  return {
    ...c,
    ...resolveSwitches(c.design, c),
    dlqTopic: c.dlqTopic ?? dlqTopicOf(c.topic),
    group: c.group ?? `hunt-engine-${c.topic}`,
  };
}

/** The harness loads only loopback targets unless a remote one is named with allowRemote. */
function assertLoopback(c: EngineConfigInput, brokerHosts: [string, string][]): void {
  const targets: [string, string][] = [
    ['host', c.host],
    ['fulfillmentUrl', new URL(c.fulfillmentUrl).hostname],
    ...(c.alertWebhook
      ? [['alertWebhook', new URL(c.alertWebhook).hostname] as [string, string]]
      : []),
    ...brokerHosts,
  ];
  const remote = targets.filter(([, h]) => !isLoopback(h));
  if (remote.length > 0) {
    throw new EngineConfigError(
      `refusing non-loopback targets (${remote.map(([k, h]) => `${k}=${h}`).join(', ')}); pass --allow-remote to name them explicitly`,
    );
  }
}
