/**
 * Fidelity profiles (scenarios/fidelity/*.yaml): how closely a run stands in for the real
 * services. Every parameter carries its value, where the value comes from (a URL), and its
 * status: `published` (the provider states it), `measured` (with the date and how) or
 * `assumed` (no figure exists; the note says why this one). run.json keeps the profile a run
 * used, with what each dimension was (fidelity-dimensions.ts).
 */
import { z } from 'zod';
import { CONTROL_OPS, ControlLimit, MODEL_OPS } from './service-model.ts';

export const PARAM_STATUS = ['published', 'measured', 'assumed'] as const;
export type ParamStatus = (typeof PARAM_STATUS)[number];

const param = <T extends z.ZodType>(value: T) =>
  z
    .strictObject({
      value,
      status: z.enum(PARAM_STATUS),
      source: z.url().optional(),
      measured: z.strictObject({ date: z.iso.date(), how: z.string().min(1) }).optional(),
      note: z.string().min(1).optional(),
    })
    .refine((p) => p.status !== 'published' || p.source !== undefined, {
      message: 'a published value names its source (a URL)',
      path: ['source'],
    })
    .refine((p) => p.status !== 'measured' || p.measured !== undefined, {
      message: 'a measured value says when and how (measured: {date, how})',
      path: ['measured'],
    })
    .refine((p) => p.status === 'measured' || p.measured === undefined, {
      message: 'goes with status measured',
      path: ['measured'],
    })
    .refine((p) => p.status !== 'assumed' || p.note !== undefined, {
      message: 'an assumed value says why in a note',
      path: ['note'],
    });

export const Latency = z
  .strictObject({ p50: z.number().nonnegative().max(60_000), p99: z.number().max(60_000) })
  .refine((l) => l.p99 >= l.p50, { message: 'p99 must be at least p50', path: ['p99'] });

const count = z.number().int().positive();
const ms = z.number().nonnegative();

export const KinesisFidelity = z.strictObject({
  capacityMode: param(z.enum(['provisioned', 'on-demand'])),
  /** Seconds of unused per-shard limit a shard may save up; 0: limits hold over any second. */
  burstSeconds: param(z.number().min(0).max(60)),
  /** The consumer's cadence: least ms from a GetRecords answer to the next call. */
  pollMs: param(z.number().int().min(200).max(60_000)),
  /** Consumer applications sharing each shard's 5 reads a second. */
  consumerApps: param(z.number().int().min(1).max(20)),
  /** Average time from a record being stored to its first read the model should give (the self-check's target). */
  propagationTargetMs: param(ms).optional(),
  latency: z.partialRecord(z.enum(MODEL_OPS), param(Latency)),
  /** Control-plane call limits, where AWS publishes them (else the layer's own, the same figures). */
  controlPlane: z.partialRecord(z.enum(CONTROL_OPS), param(ControlLimit)).optional(),
  onDemand: z
    .strictObject({
      recordsPerS: param(count),
      bytesPerS: param(count),
      previousPeakRecordsPerS: param(z.number().nonnegative()),
      previousPeakBytesPerS: param(z.number().nonnegative()),
      scaleAfterMs: param(count),
      keyRecordsPerS: param(count),
      keyBytesPerS: param(count),
    })
    .optional(),
});
export type KinesisFidelity = z.infer<typeof KinesisFidelity>;

export const KafkaFidelity = z.strictObject({
  brokers: param(count),
  replicationFactor: param(count),
  minInsyncReplicas: param(count),
  /** One-way latency between availability zones, ms. */
  crossZoneLatencyMs: param(ms),
});
export type KafkaFidelity = z.infer<typeof KafkaFidelity>;

/**
 * The ingress capacity a run holds each service to (docs/contracts.md, "Capacity"): the stated
 * service's published figures times one `scale`, alike for both, so that a burst this machine
 * can offer meets a limit as it would meet the real service's.
 */
export const CapacityFidelity = z.strictObject({
  /** Applies to both services alike: 0.01 holds each to 1/100 of its stated capacity. */
  scale: param(z.number().positive().max(1)),
  /** A Kafka cluster of `brokers` brokers of `brokerSize`, each taking `ingressBytesPerS`. */
  kafka: z
    .strictObject({
      brokerSize: param(z.string().min(1)),
      brokers: param(count),
      /** Ingress a broker of that size takes, bytes/s (MB/s × 1,000,000). */
      ingressBytesPerS: param(count),
      /** One engine event on the wire to Kafka, bytes: states the capacity in events/s. */
      eventBytes: param(count).optional(),
    })
    .optional(),
  /** Provisioned: the stated stream's shards; on-demand: its allowance (kinesis.onDemand). */
  kinesis: z
    .strictObject({
      shards: param(count).optional(),
      /** One engine event as Kinesis meters it (data and partition key), bytes. */
      eventBytes: param(count).optional(),
    })
    .optional(),
});
export type CapacityFidelity = z.infer<typeof CapacityFidelity>;

export const FidelityProfile = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and -'),
    version: z.number().int().positive(),
    description: z.string().min(1),
    /** Absent: Kinesis runs as loopback. */
    kinesis: KinesisFidelity.optional(),
    /** Absent: Kafka runs as loopback. */
    kafka: KafkaFidelity.optional(),
    /** Absent: no capacity is held beyond the stand-ins' own (AWS's per-shard limits). */
    capacity: CapacityFidelity.optional(),
  })
  .superRefine((p, ctx) => {
    capacityIssues(p, ctx);
    const k = p.kinesis;
    if (k && (k.capacityMode.value === 'on-demand') !== (k.onDemand !== undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['kinesis', 'onDemand'],
        message: 'is required with capacityMode on-demand, and only then',
      });
    const f = p.kafka;
    if (f && f.minInsyncReplicas.value > f.replicationFactor.value)
      ctx.addIssue({
        code: 'custom',
        path: ['kafka', 'minInsyncReplicas'],
        message: 'cannot exceed replicationFactor',
      });
    if (f && f.replicationFactor.value > f.brokers.value)
      ctx.addIssue({
        code: 'custom',
        path: ['kafka', 'replicationFactor'],
        message: 'cannot exceed brokers',
      });
  });
export type FidelityProfile = z.infer<typeof FidelityProfile>;

function capacityIssues(
  p: { kinesis?: KinesisFidelity; kafka?: KafkaFidelity; capacity?: CapacityFidelity },
  ctx: z.RefinementCtx,
): void {
  const c = p.capacity;
  if (!c) return;
  const onDemand = p.kinesis?.capacityMode.value === 'on-demand';
  if (c.kinesis && onDemand && c.kinesis.shards)
    ctx.addIssue({
      code: 'custom',
      path: ['capacity', 'kinesis', 'shards'],
      message: 'an on-demand stream has no stated shards: its capacity is kinesis.onDemand',
    });
  if (c.kinesis && !onDemand && !c.kinesis.shards)
    ctx.addIssue({
      code: 'custom',
      path: ['capacity', 'kinesis', 'shards'],
      message: 'is required for a provisioned stream',
    });
  if (c.kafka && p.kafka && c.kafka.brokers.value !== p.kafka.brokers.value)
    ctx.addIssue({
      code: 'custom',
      path: ['capacity', 'kafka', 'brokers'],
      message: `must match kafka.brokers (${p.kafka.brokers.value})`,
    });
}

/** What one dimension of a run was, per backend; `unknown`: what it rests on could not be read back. */
export const DimensionLevel = z.enum(['real', 'emulated', 'absent', 'unknown', 'n/a']);
export const Dimension = z.strictObject({
  level: DimensionLevel,
  /** emulated only: the weakest status among the parameters it rests on. */
  status: z.enum(PARAM_STATUS).optional(),
  note: z.string(),
});
export type Dimension = z.infer<typeof Dimension>;

export const DIMENSIONS = [
  'produceLatency',
  'replication',
  'readPropagation',
  'shardLimits',
  'capacityMode',
  'failureModel',
  'network',
] as const;
export type DimensionName = (typeof DIMENSIONS)[number];

/**
 * What the broker said of the run's topic once it existed (Kafka: its replication), read back
 * rather than taken from the stack's configuration; a figure it could not read is null.
 */
export const TopicReadBack = z.strictObject({
  topic: z.string(),
  /** The fewest replicas of any of the topic's partitions. */
  replicationFactor: z.number().int().nonnegative().nullable(),
  minInsyncReplicas: z.number().int().nonnegative().nullable(),
  /** Why the read-back failed; null when both figures were read. */
  error: z.string().nullable(),
});
export type TopicReadBack = z.infer<typeof TopicReadBack>;
/**
 * The capacity a run held its backend to: as stated (the service and its published figures),
 * the scale, and the limits in force here; null limits when nothing held them (a `--target`
 * run, `--kinesis-quota off`), with `why`.
 */
export const CapacityRecord = z.strictObject({
  /** The stated service, e.g. `3 × express.m7g.large`, `30 provisioned shards`. */
  stated: z.string(),
  /** Its ingress as stated, bytes/s and records/s; null where the service states none. */
  statedBytesPerS: z.number().positive().nullable(),
  statedRecordsPerS: z.number().positive().nullable(),
  scale: z.number().positive(),
  /** Whether this run enforced it. */
  enforced: z.boolean(),
  /** The limits in force here, bytes/s and records/s; null: none (not enforced, or not a limit of this service). */
  bytesPerS: z.number().positive().nullable(),
  recordsPerS: z.number().positive().nullable(),
  /** Engine events a second those limits admit, at the profile's measured event size; null: unknown. */
  eventsPerS: z.number().nonnegative().nullable(),
  /** How it was enforced, or why not. */
  how: z.string(),
  /** One line for the run's output and the report. */
  line: z.string(),
});
export type CapacityRecord = z.infer<typeof CapacityRecord>;

/** run.json `fidelity`: the profile as used, and what each dimension was for this run's backend. */
export const RunFidelity = z.strictObject({
  profile: FidelityProfile,
  /** The profile file, relative to the repository when it is one of the shipped profiles. */
  file: z.string(),
  dimensions: z.record(z.enum(DIMENSIONS), Dimension),
  /** The run's topic as the broker had it after it was created; absent: not read back. */
  readBack: TopicReadBack.optional(),
  /** The capacity held (absent: the profile states none, or a run from before capacities). */
  capacity: CapacityRecord.optional(),
});
export type RunFidelity = z.infer<typeof RunFidelity>;
