/**
 * What each fidelity dimension of a run was, from its profile and what the stack really ran:
 * `real` (the real software does it), `emulated` (a model, as good as its weakest parameter's
 * status), `absent` (nothing stands in for it), or `n/a` (the backend has no such thing).
 * A profile can ask for more than the stack can do (three Kafka brokers on a one-broker
 * stack): the dimension is then `absent` and says so, never emulated on paper.
 */
import type {
  Dimension,
  DimensionName,
  FidelityProfile,
  KafkaFidelity,
  KinesisFidelity,
  ParamStatus,
} from '../contract/fidelity-schema.ts';

/** What the run's stack ran, beside what the profile asked for. */
export interface StackFacts {
  /** Kafka brokers in the stack. */
  kafkaBrokers: number;
  /** Whether the Kinesis quota layer enforced limits (off: `--kinesis-quota off`). */
  kinesisQuota: boolean;
  /** Whether cross-zone latency is put between the Kafka brokers and clients. */
  kafkaCrossZone: boolean;
  /** The real service a run used instead of a local stand-in (`hunt run --target`). */
  target?: string;
}

type Param = { status: ParamStatus; value: unknown };
const ORDER: ParamStatus[] = ['published', 'measured', 'assumed'];
/** The weakest status: assumed below measured below published. */
export const weakest = (ps: Param[]): ParamStatus =>
  ORDER[Math.max(0, ...ps.map((p) => ORDER.indexOf(p.status)))]!;

const emulated = (ps: Param[], note: string): Dimension => ({
  level: 'emulated',
  status: weakest(ps),
  note,
});
const absent = (note: string): Dimension => ({ level: 'absent', note });
const real = (note: string): Dimension => ({ level: 'real', note });
const na = (note: string): Dimension => ({ level: 'n/a', note });

export function dimensionsFor(
  profile: FidelityProfile,
  backend: 'kafka' | 'kinesis',
  facts: StackFacts,
): Record<DimensionName, Dimension> {
  if (facts.target) return realService(backend, facts.target);
  return backend === 'kinesis'
    ? kinesisDimensions(profile.kinesis, facts)
    : kafkaDimensions(profile.kafka, facts);
}

function kinesisDimensions(
  k: KinesisFidelity | undefined,
  facts: StackFacts,
): Record<DimensionName, Dimension> {
  const put = k?.latency.PutRecords;
  const get = k?.latency.GetRecords;
  const produce =
    put && put.value.p50 > 0
      ? emulated([put], `PutRecords p50 ${put.value.p50} ms, p99 ${put.value.p99} ms`)
      : absent('kinesalite on loopback answers in under a millisecond');
  const pollMs = k?.pollMs.value ?? 200;
  const apps = k?.consumerApps.value ?? 1;
  const cadence = `poll every ${pollMs} ms after each answer, ${apps} consumer app(s) per shard`;
  const propagation =
    k && get && get.value.p50 > 0
      ? emulated(
          [get, k.pollMs, k.consumerApps],
          `${cadence}, GetRecords p50 ${get.value.p50} ms, p99 ${get.value.p99} ms`,
        )
      : absent(`${cadence}; GetRecords answers on loopback`);
  const burst = k?.burstSeconds;
  const limits = facts.kinesisQuota
    ? emulated(
        burst ? [burst] : [],
        `1,000 records/s, 1 MiB/s written and 5 reads/s per shard, ${burst?.value ? `${burst.value} s of burst` : 'over any one-second window'}`,
      )
    : absent('quota layer off: no per-shard limits');
  let capacity: Dimension;
  if (!facts.kinesisQuota) capacity = absent('quota layer off: no capacity limit');
  else if (k?.onDemand) {
    const o = k.onDemand;
    capacity = emulated(
      [k.capacityMode, ...Object.values(o)],
      `on-demand: ${Math.max(o.recordsPerS.value, 2 * o.previousPeakRecordsPerS.value)} records/s to start, doubled after ${Math.round(o.scaleAfterMs.value / 1000)} s of throttling; ${o.keyRecordsPerS.value} records/s per key`,
    );
  } else capacity = emulated(k ? [k.capacityMode] : [], 'provisioned: a fixed number of shards');
  return {
    produceLatency: produce,
    replication:
      produce.level === 'emulated'
        ? { ...produce, note: 'inside the service: its cost is part of PutRecords latency' }
        : absent('kinesalite keeps one copy; the cost of replication is not modelled'),
    readPropagation: propagation,
    shardLimits: limits,
    capacityMode: capacity,
    failureModel: absent('broker-kill stops kinesalite, every shard at once; AWS fails partially'),
    network:
      produce.level === 'emulated'
        ? { ...produce, note: 'part of each call latency' }
        : absent('loopback'),
  };
}

function kafkaDimensions(
  f: KafkaFidelity | undefined,
  facts: StackFacts,
): Record<DimensionName, Dimension> {
  const single = facts.kafkaBrokers <= 1;
  const asked = f
    ? `profile: ${f.brokers.value} brokers, RF ${f.replicationFactor.value}, min.insync.replicas ${f.minInsyncReplicas.value}`
    : 'one broker, RF 1';
  const replicated = f !== undefined && facts.kafkaBrokers >= f.brokers.value && !single;
  const zone = f ? `profile: ${f.crossZoneLatencyMs.value} ms one way between zones` : '';
  return {
    produceLatency: real(
      replicated
        ? `${facts.kafkaBrokers} brokers on loopback`
        : 'one broker on loopback: acks=all waits for no follower',
    ),
    replication: replicated
      ? real(asked)
      : absent(
          f ? `${asked}; the stack runs ${facts.kafkaBrokers} broker: not yet emulated` : asked,
        ),
    readPropagation: real(
      replicated
        ? 'consumers read up to the high watermark, after replication'
        : 'consumers read what one broker wrote: no replication before the high watermark',
    ),
    shardLimits: na('Kafka has no per-partition limits (client quotas only in quota steps)'),
    capacityMode: na('a fixed cluster'),
    failureModel: single
      ? absent('broker-kill stops the only broker: a total outage, not a leader election')
      : real('broker-kill stops one broker: leaders move'),
    network:
      f && facts.kafkaCrossZone
        ? emulated([f.crossZoneLatencyMs], zone)
        : absent(f ? `${zone}; not yet emulated` : 'loopback'),
  };
}

/** A run against the service itself: nothing is emulated, every dimension is the service's own. */
function realService(
  backend: 'kafka' | 'kinesis',
  where: string,
): Record<DimensionName, Dimension> {
  const own = real(`real service (${where})`);
  return {
    produceLatency: own,
    replication: real("the service's own replication"),
    readPropagation: own,
    shardLimits:
      backend === 'kinesis'
        ? real("the stream's own limits")
        : na('Kafka has no per-partition limits'),
    capacityMode:
      backend === 'kinesis' ? real("the stream's own capacity mode") : na('the cluster as it is'),
    failureModel: real("the service's own failures; none is injected into it (docs/remote.md)"),
    network: real('the real network path from this machine to the service'),
  };
}
