/**
 * The Kafka stand-in's fidelity: what each dimension was, from the profile's `kafka` section
 * and the cluster the stack really ran. A profile can ask for more than the stack runs (three
 * brokers on a one-broker stack): the dimension is then `absent` and says so.
 */
import { absent, emulated, na, real } from '../../contract/dimensions.ts';
import type { Dimension, DimensionName, FidelityProfile } from '../../contract/fidelity-schema.ts';
import { kafkaCapacity } from './capacity.ts';
import type { KafkaCluster } from './cluster.ts';

export function kafkaDimensions(
  profile: FidelityProfile,
  cluster: KafkaCluster,
): Record<DimensionName, Dimension> {
  const f = profile.kafka;
  const brokers = cluster.brokers;
  const crossZone = brokers > 1 && cluster.crossZoneMs > 0;
  const single = brokers <= 1;
  const asked = f
    ? `profile: ${f.brokers.value} brokers, RF ${f.replicationFactor.value}, min.insync.replicas ${f.minInsyncReplicas.value}`
    : 'one broker, RF 1';
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
    replication: replicated
      ? real(asked)
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
