import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { kafkaBootstrap } from '../drivers/kafka/cluster.ts';
import { describeKafkaConnectFailure, kafkaSecurityOf } from '../drivers/kafka/security.ts';
import { BACKENDS } from '../drivers/registry.ts';
import { HOST, type Paths, type Ports } from '../stack/config.ts';
import { clusterOf, readStackInfo } from '../stack/stack.ts';
import { REPO_ROOT } from '../stack/tools.ts';
import type { Backend } from './backend.ts';
import { defaultConfig, type EngineConfig, readConfigFile, resolveEngineConfig } from './config.ts';
import { BrokerConnectError, EngineConfigError } from './errors.ts';
import type { Log } from './log.ts';
import { redactText, secretValues } from './secrets.ts';

/**
 * Endpoints the engine uses by default: those of the running stack (its stack.json) when
 * there is one, else the configured ports. Brokers and fulfillment are reached through
 * their Toxiproxy proxies, so that chaos can act on them.
 */
export function stackEndpoints(paths: Paths, ports: Ports): { ports: Ports; fromStack: boolean } {
  const info = readStackInfo(paths);
  return info ? { ports: info.ports, fromStack: true } : { ports, fromStack: false };
}

export async function engineConfigFrom(p: {
  paths: Paths;
  ports: Ports;
  env: Record<string, string | undefined>;
  flags: Record<string, unknown>;
  configFile?: string;
}): Promise<EngineConfig> {
  const { ports } = stackEndpoints(p.paths, p.ports);
  const cluster = clusterOf(readStackInfo(p.paths));
  const defaults = defaultConfig({
    engine: ports.engine,
    kafka: `${HOST}:${ports.kafkaProxy}`,
    kinesis: `http://${HOST}:${ports.kinesisProxy}`,
    fulfillment: `http://${HOST}:${ports.downstreamProxy}`,
  });
  // A cluster's every broker proxy, so that the engine starts with one broker down too.
  defaults.brokers = kafkaBootstrap(ports, cluster);
  defaults.data = join(REPO_ROOT, 'scenarios', 'data', 'default.json');
  const file = p.configFile ? await readConfigFile(p.configFile) : undefined;
  const config = resolveEngineConfig({ defaults, file, env: p.env, flags: p.flags });
  config.data = resolve(config.data);
  if (!existsSync(config.data)) {
    throw new EngineConfigError(
      `data: catalogue ${config.data} does not exist; write one with 'hunt data --seed 1 --out ${config.data}'`,
    );
  }
  return config;
}

/** The configured backend, its clients named after `clientId`. */
export function createBackend(c: EngineConfig, paths: Paths, log: Log, clientId: string): Backend {
  return BACKENDS[c.backend]({
    endpoints: endpointsOf(c),
    startAt: c.createTopic ? 'earliest' : 'now',
    clientId,
    requestTimeoutMs: c.publishTimeoutMs,
    region: c.region,
    lagPollMs: c.lagPollMs,
    kinesisPollMs: c.kinesisPollMs,
    kafkaProducer: c.kafkaProducer,
    kafkaSecurity: c.backend === 'kafka' ? kafkaSecurityOf(c) : undefined,
    checkpointDir: join(paths.state, 'kinesis-checkpoints'),
    log,
  });
}

/**
 * Whether an error came from a Kafka client (both wrap their socket's errors), not from the
 * engine's own code or files.
 */
function fromKafkaClient(err: unknown): boolean {
  const e = err as { name?: unknown; code?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  const name = typeof e.name === 'string' ? e.name : '';
  const code = typeof e.code === 'string' ? e.code : '';
  // kafkajs throws a bare 'Broker not connected' when a broker accepted the connection but
  // never answered (a plaintext client at a TLS port that waits for a handshake).
  const bare = err instanceof Error && err.message === 'Broker not connected';
  return name.startsWith('KafkaJS') || code.startsWith('PLT_KFK') || bare;
}

/**
 * What an error at start becomes: a Kafka client's failure to connect is one line naming the
 * setting to fix (the password redacted even from the client's own words); others stay as
 * they were, with their stack.
 */
export function startFailure(c: EngineConfig, err: unknown): unknown {
  if (c.backend !== 'kafka' || !fromKafkaClient(err)) return err;
  const line = describeKafkaConnectFailure(err, {
    brokers: c.brokers,
    tls: c.kafkaTls,
    clientCert: c.kafkaTlsCert !== undefined,
    mechanism: c.kafkaSaslMechanism,
    username: c.kafkaSaslUsername,
  });
  return new BrokerConnectError(redactText(line, secretValues(c)), { cause: err });
}

/** Kafka's brokers, or the Kinesis endpoint override (none: the SDK's regional endpoint). */
export function endpointsOf(c: Pick<EngineConfig, 'backend' | 'brokers' | 'kinesisEndpoint'>) {
  if (c.backend === 'kafka') return c.brokers;
  return c.kinesisEndpoint ? [c.kinesisEndpoint] : [];
}
