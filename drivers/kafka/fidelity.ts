/**
 * The Kafka stand-in's fidelity: what each dimension was, from the profile's `kafka` section
 * and the cluster the stack really ran. A profile can ask for more than the stack runs (three
 * brokers on a one-broker stack): the dimension is then `absent` and says so. Replication is
 * judged from the run's topic as the broker reports it (`replicationDimension`), read back once
 * the engine created it; until then it is unknown.
 */
import { absent, emulated, na, real, unknown } from '../../contract/dimensions.ts';
import type {
  Dimension,
  DimensionName,
  FidelityProfile,
  KafkaFidelity,
  TopicReadBack,
} from '../../contract/fidelity-schema.ts';
import { kafkaCapacity } from './capacity.ts';
import type { KafkaCluster } from './cluster.ts';

const profileAsks = (f: KafkaFidelity | undefined): string =>
  f
    ? `profile: ${f.brokers.value} brokers, RF ${f.replicationFactor.value}, min.insync.replicas ${f.minInsyncReplicas.value}`
    : 'one broker, RF 1';

/**
 * Replication as the broker has it for the run's topic: real only when the topic's replication
 * factor is at least the profile's and its min.insync.replicas is the profile's. A read-back
 * that failed leaves it unknown, never real.
 */
export function replicationDimension(f: KafkaFidelity | undefined, read: TopicReadBack): Dimension {
  const asked = profileAsks(f);
  const rf = read.replicationFactor;
  const isr = read.minInsyncReplicas;
  if (read.error !== null || rf === null || isr === null)
    return unknown(
      `${asked}; topic ${read.topic}: not read back from the broker (${read.error ?? 'no figure'})`,
    );
  const found = `topic ${read.topic} read back: RF ${rf}, min.insync.replicas ${isr}`;
  if (!f) return absent(`${asked}; ${found}: the profile asks no replication`);
  const short = [
    ...(rf < f.replicationFactor.value ? [`RF ${rf} < ${f.replicationFactor.value}`] : []),
    ...(isr !== f.minInsyncReplicas.value
      ? [`min.insync.replicas ${isr}, not ${f.minInsyncReplicas.value}`]
      : []),
  ];
  return short.length === 0
    ? real(`${asked}; ${found}`)
    : absent(`${asked}; ${found}: ${short.join(', ')}`);
}

export function kafkaDimensions(
  profile: FidelityProfile,
  cluster: KafkaCluster,
): Record<DimensionName, Dimension> {
  const f = profile.kafka;
  const brokers = cluster.brokers;
  const crossZone = brokers > 1 && cluster.crossZoneMs > 0;
  const single = brokers <= 1;
  const asked = profileAsks(f);
  const replicated = f !== undefined && brokers >= f.brokers.value && !single;
  const zone = f ? `profile: ${f.crossZoneLatencyMs.value} ms one way between zones` : '';
  const c = profile.capacity;
  const cap = kafkaCapacity(profile, brokers);
  const capacity =
    cap && c?.kafka
      ? emulated(
          [c.scale, c.kafka.brokerSize, c.kafka.brokers, c.kafka.ingressBytesPerS],
          `${cap.record.line} (${cap.record.how})`,
        )
      : na('a fixed cluster');
  return {
    produceLatency: real(
      replicated
        ? `${brokers} brokers on loopback`
        : 'one broker on loopback: acks=all waits for no follower',
    ),
    // Graded by what the broker reports of the run's topic once it exists (readBackReplication).
    replication: replicated
      ? unknown(`${asked}; the run's topic not yet read back from the broker`)
      : absent(f ? `${asked}; the stack runs ${brokers} broker: not yet emulated` : asked),
    readPropagation: real(
      replicated
        ? 'consumers read up to the high watermark, after replication'
        : 'consumers read what one broker wrote: no replication before the high watermark',
    ),
    shardLimits: na('Kafka has no per-partition limits (client quotas only in quota steps)'),
    capacityMode: capacity,
    failureModel: single
      ? absent('broker-kill stops the only broker: a total outage, not a leader election')
      : real('broker-kill stops one broker: leaders move'),
    network:
      f && crossZone
        ? emulated([f.crossZoneLatencyMs], zone)
        : absent(f ? `${zone}; not yet emulated` : 'loopback'),
  };
}

/**
 * A run against a Kafka service itself: every dimension is the service's own. Brokers on
 * this machine are real Kafka, but no network lies between them and the engine.
 */
export function realKafka(where: string, loopback: boolean): Record<DimensionName, Dimension> {
  const own = real(`real service (${where})`);
  return {
    produceLatency: own,
    replication: real("the service's own replication"),
    readPropagation: own,
    shardLimits: na('Kafka has no per-partition limits'),
    capacityMode: na('the cluster as it is'),
    failureModel: real("the service's own failures; none is injected into it (docs/remote.md)"),
    network: loopback
      ? absent('brokers on this machine (loopback): no network path to a service')
      : real('the real network path from this machine to the service'),
  };
}
