/**
 * Kafka, whole: the engine's backend (kafkajs, or @platformatic/kafka for the producer), the
 * KRaft stand-in of one broker or a three-broker cluster behind Toxiproxy, what a plan may
 * hurt of it, its client quotas, its fidelity, and what an existing cluster needs.
 */
import type { FidelityProfile } from '../../contract/fidelity-schema.ts';
import { redactText, secretValues } from '../../engine/secrets.ts';
import { HOST, isLoopback } from '../../stack/config.ts';
import { KAFKA_VERSION, toolPaths } from '../../stack/tools.ts';
import type { BrokerSettings, Driver, LocalContext } from '../types.ts';
import { KafkaBackend } from './backend.ts';
import { kafkaCapacity, kafkaTargetCapacity } from './capacity.ts';
import {
  allBrokerPorts,
  brokerName,
  type KafkaCluster,
  kafkaBootstrap,
  parseCluster,
} from './cluster.ts';
import { brokersReady, clusterOf, kafka } from './component.ts';
import { kafkaTargetDescription } from './description.ts';
import { kafkaDimensions, realKafka, replicationDimension } from './fidelity.ts';
import { busiestPartitionLeader } from './leader.ts';
import { startLeaderSampler } from './leader-sampler.ts';
import { setKafkaQuota } from './quota.ts';
import { readTopicReplication } from './replication-readback.ts';
import {
  describeKafkaConnectFailure,
  type KafkaSecuritySettings,
  kafkaSecurityOf,
  kafkaSecurityProblems,
} from './security.ts';

const NAME = 'kafka';
const BROKERS = ['kafka-1', 'kafka-2', 'kafka-3'];

/** The security settings with their defaults: plaintext unless kafkaTls says otherwise. */
const security = (s: BrokerSettings): KafkaSecuritySettings => ({ kafkaTls: false, ...s });

/** The cluster a stack runs, from its stack.json options. */
const stackCluster = (options: Record<string, unknown> | undefined) =>
  clusterOf({ options: options ?? {} });

/**
 * The cluster a run that brings its own stack starts: the profile's brokers and cross-zone
 * latency, unless HUNT_KAFKA_BROKERS / HUNT_KAFKA_CROSS_ZONE_MS say otherwise.
 */
export function profileCluster(
  p: FidelityProfile,
  env: Record<string, string | undefined>,
): KafkaCluster {
  if (env.HUNT_KAFKA_BROKERS !== undefined) return parseCluster(env, {});
  const brokers = p.kafka?.brokers.value ?? 1;
  const crossZoneMs = brokers > 1 ? (p.kafka?.crossZoneLatencyMs.value ?? 0) : 0;
  return parseCluster(env, { brokers: String(brokers), crossZoneMs: String(crossZoneMs) });
}

/** Every broker's own listener, past Toxiproxy: the harness's admin clients. */
const directPorts = (c: LocalContext) =>
  allBrokerPorts(c.ports, stackCluster(c.stack?.options).brokers).map((b) => b.client);

/** Whether an error came from a Kafka client (both wrap their socket's errors). */
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

export const kafkaDriver: Driver = {
  name: NAME,
  label: 'Kafka',
  noun: 'topic',
  engine: {
    backend: (s, o) =>
      new KafkaBackend({
        ...o,
        endpoints: s.brokers ?? [],
        kafkaProducer: s.kafkaProducer,
        kafkaConsumer: s.kafkaConsumer,
        kafkaSecurity: kafkaSecurityOf(security(s)),
      }),
    hosts: (s) => (s.brokers ?? []).map((b) => ['brokers', b.replace(/:\d+$/, '')]),
    problems: (s) => kafkaSecurityProblems(security(s)),
    startFailure(s, err) {
      if (!fromKafkaClient(err)) return undefined;
      const line = describeKafkaConnectFailure(err, {
        brokers: s.brokers,
        tls: s.kafkaTls,
        clientCert: s.kafkaTlsCert !== undefined,
        mechanism: s.kafkaSaslMechanism,
        username: s.kafkaSaslUsername,
      });
      return redactText(line, secretValues(s));
    },
  },
  local: {
    components: [kafka],
    stackFlags: [
      {
        flags: '--kafka-brokers <n>',
        description:
          'Kafka brokers, 1 to 3 (HUNT_KAFKA_BROKERS; default 1); 3 replicate every topic 3 times with min.insync.replicas 2',
      },
      {
        flags: '--kafka-cross-zone-ms <ms>',
        description:
          'one-way latency on each inter-broker link of a cluster (HUNT_KAFKA_CROSS_ZONE_MS; default 0.7, rounded up to whole ms)',
      },
    ],
    stackOptions: ({ flags, env, profile }) =>
      profile && !flags
        ? profileCluster(profile, env)
        : parseCluster(env, { brokers: flags?.kafkaBrokers, crossZoneMs: flags?.kafkaCrossZoneMs }),
    viaProxies: (ports, stack) => ({
      brokers: kafkaBootstrap(ports, stackCluster(stack?.options)),
    }),
    direct: (ports) => ({ brokers: [`${HOST}:${ports.kafka}`] }),
    chaos: {
      backend: NAME,
      label: 'Kafka',
      proxies: [NAME, ...BROKERS],
      processes: [NAME, ...BROKERS],
      quota: { provider: NAME, what: 'Kafka client quotas', modes: ['on', 'off'], byteRate: true },
    },
    daemons: (stack) =>
      kafka.daemons?.({ ports: stack?.ports ?? ({} as never), options: stack?.options ?? {} }) ?? [
        NAME,
      ],
    async killTarget(name, c) {
      const cluster = stackCluster(c.stack?.options);
      if (name !== NAME || cluster.brokers === 1) return name;
      const found = await busiestPartitionLeader(directPorts(c));
      return brokerName(cluster, found?.leader ?? 1);
    },
    readyProbe(daemon, c) {
      const id = /^kafka-(\d+)$/.exec(daemon)?.[1];
      if (id === undefined) return undefined;
      return () => brokersReady(directPorts(c), (ids) => ids.includes(Number(id)));
    },
    quota: {
      set: (c, s) =>
        setKafkaQuota(
          {
            libs: toolPaths(c.paths).kafkaLibs,
            bootstrap: kafkaBootstrap(c.ports, stackCluster(c.stack?.options), true).join(','),
          },
          s,
        ),
    },
    emulation: ({ options, partitions }) => {
      const { brokers } = stackCluster(options as Record<string, unknown>);
      const shape = brokers === 1 ? 'single broker' : `${brokers} brokers`;
      return { kafka: `Apache Kafka ${KAFKA_VERSION}, ${shape} (KRaft), ${partitions} partitions` };
    },
    dimensions: (profile, facts) =>
      kafkaDimensions(profile, stackCluster(facts.options as Record<string, unknown>)),
    async readBack(c, topic, fidelity) {
      const read = await readTopicReplication(directPorts(c), topic);
      const replication = replicationDimension(fidelity.profile.kafka, read);
      return {
        fidelity: {
          ...fidelity,
          readBack: read,
          dimensions: { ...fidelity.dimensions, replication },
        },
        line: `replication ${replication.level}: ${replication.note}`,
      };
    },
    capacity(profile, facts) {
      const { brokers } = stackCluster(facts.options as Record<string, unknown>);
      const c = kafkaCapacity(profile, brokers);
      if (!c) return null;
      return {
        record: c.record,
        quota: { mode: 'on', multiplier: 1, producerByteRate: c.producerByteRate },
      };
    },
    sampler: ({ paths, ports, topic }) => startLeaderSampler(paths, ports, topic),
  },
  target: {
    missing: (raw) => (raw.brokers === undefined ? 'brokers: required for kafka' : null),
    record: (s) => ({
      brokers: s.brokers ?? null,
      region: null,
      kinesisEndpoint: null,
      tls: s.kafkaTls === true,
      saslMechanism: s.kafkaSaslMechanism ?? null,
      saslUsername: s.kafkaSaslUsername ?? null,
    }),
    describe: kafkaTargetDescription,
    capacity: kafkaTargetCapacity,
    dimensions: (t) =>
      realKafka(
        kafkaTargetDescription(t),
        (t.brokers ?? []).every((b) => isLoopback(b.replace(/:\d+$/, ''))),
      ),
  },
};
