/**
 * The Kafka cluster's shape: how many brokers, the cross-zone latency on their replication
 * links, and each broker's ports. Broker 1 keeps the single-broker ports (`kafka`,
 * `kafkaController`, `kafkaProxied`, `kafkaProxy`); brokers 2 and 3 take those plus 100 and
 * 200. The replication listener of every broker and its proxy (`kafkaPeer`, `kafkaPeerProxy`)
 * exist only in a cluster.
 */
import { UserError } from '../../common/user-error.ts';
import { HOST, type Ports } from '../../stack/config.ts';

export const MAX_BROKERS = 3;
/** Distance between two brokers' ports. */
export const BROKER_STRIDE = 100;

export interface KafkaCluster {
  brokers: number;
  /** One-way latency on each inter-broker link, in ms (Toxiproxy rounds it up to whole ms). */
  crossZoneMs: number;
}

export const SINGLE_BROKER: Readonly<KafkaCluster> = { brokers: 1, crossZoneMs: 0 };

export interface BrokerPorts {
  id: number;
  /** Direct client listener (the harness's own admin and audit clients). */
  client: number;
  controller: number;
  /** Client listener reached only through the broker's proxy. */
  proxied: number;
  proxy: number;
  /** Inter-broker (replication) listener, reached only through the peer proxy. */
  peer: number;
  peerProxy: number;
}

export function brokerPorts(ports: Ports, id: number): BrokerPorts {
  const shift = BROKER_STRIDE * (id - 1);
  return {
    id,
    client: ports.kafka + shift,
    controller: ports.kafkaController + shift,
    proxied: ports.kafkaProxied + shift,
    proxy: ports.kafkaProxy + shift,
    peer: ports.kafkaPeer + shift,
    peerProxy: ports.kafkaPeerProxy + shift,
  };
}

export function allBrokerPorts(ports: Ports, brokers: number): BrokerPorts[] {
  return Array.from({ length: brokers }, (_, i) => brokerPorts(ports, i + 1));
}

/** Daemon and proxy name of broker `id`: `kafka` alone, `kafka-<id>` in a cluster. */
export const brokerName = (cluster: KafkaCluster, id: number): string =>
  cluster.brokers === 1 ? 'kafka' : `kafka-${id}`;

export const peerProxyName = (id: number): string => `kafka-${id}-peer`;

/** Bootstrap list of the cluster: every broker's proxy, or with `direct` its own listener. */
export function kafkaBootstrap(ports: Ports, cluster: KafkaCluster, direct = false): string[] {
  return allBrokerPorts(ports, cluster.brokers).map(
    (b) => `${HOST}:${direct ? b.client : b.proxy}`,
  );
}

/** Replication settings of the cluster: RF 3 and min.insync.replicas 2 from three brokers. */
export function replication(brokers: number): { factor: number; minInsync: number } {
  const factor = Math.min(3, brokers);
  return { factor, minInsync: brokers >= 3 ? 2 : 1 };
}

/** Toxiproxy's latency is whole ms: a non-zero one-way latency is rounded up, 0.7 -> 1. */
export const toxicLatencyMs = (crossZoneMs: number): number => Math.ceil(crossZoneMs);

export function parseCluster(
  env: Record<string, string | undefined>,
  flags: {
    brokers?: string;
    crossZoneMs?: string;
  },
): KafkaCluster {
  const rawBrokers = flags.brokers ?? env.HUNT_KAFKA_BROKERS ?? '1';
  const brokers = Number(rawBrokers);
  if (!Number.isInteger(brokers) || brokers < 1 || brokers > MAX_BROKERS) {
    throw new UserError(
      `--kafka-brokers: expected 1 to ${MAX_BROKERS}, got '${rawBrokers}' (HUNT_KAFKA_BROKERS)`,
    );
  }
  const rawMs = flags.crossZoneMs ?? env.HUNT_KAFKA_CROSS_ZONE_MS ?? (brokers > 1 ? '0.7' : '0');
  const crossZoneMs = Number(rawMs);
  if (!Number.isFinite(crossZoneMs) || crossZoneMs < 0 || crossZoneMs > 1_000) {
    throw new UserError(
      `--kafka-cross-zone-ms: expected a number of ms from 0 to 1000, got '${rawMs}' (HUNT_KAFKA_CROSS_ZONE_MS)`,
    );
  }
  if (brokers === 1 && crossZoneMs > 0) {
    throw new UserError('--kafka-cross-zone-ms: a single broker has no inter-broker links');
  }
  return { brokers, crossZoneMs };
}
