/**
 * The service model the quota layer puts in front of the emulator: per-operation latency,
 * how many consumer applications share each shard's reads, whether the per-second limits may
 * burst, and the capacity mode. Set over the admin route (PUT /quota with `model`); the
 * default is the loopback model: no latency, one consumer, no burst, provisioned.
 */
import { z } from 'zod';

/** Operations whose latency the model can set. */
export const MODEL_OPS = [
  'PutRecords',
  'PutRecord',
  'GetRecords',
  'GetShardIterator',
  'ListShards',
  'DescribeStream',
  'DescribeStreamSummary',
] as const;
export type ModelOp = (typeof MODEL_OPS)[number];

/** Control-plane operations the layer meters (limits.ts, CONTROL_LIMITS: AWS's published figures). */
export const CONTROL_OPS = [
  'ListShards',
  'DescribeStream',
  'DescribeStreamSummary',
  'DescribeLimits',
  'CreateStream',
  'DeleteStream',
  'ListStreams',
  'SplitShard',
  'MergeShards',
] as const;
export type ControlOp = (typeof CONTROL_OPS)[number];

/** Calls a second, over the whole account or per stream. */
export const ControlLimit = z.strictObject({
  perS: z.number().positive(),
  per: z.enum(['account', 'stream']),
});
export type ControlLimit = z.infer<typeof ControlLimit>;

export const LatencySpec = z
  .strictObject({ p50: z.number().nonnegative().max(60_000), p99: z.number().max(60_000) })
  .refine((l) => l.p99 >= l.p50, { message: 'p99 must be at least p50', path: ['p99'] });
export type LatencySpec = z.infer<typeof LatencySpec>;

export const OnDemand = z.strictObject({
  mode: z.literal('on-demand'),
  /** A new stream's write allowance (AWS: 4,000 records/s and 4 MB/s). */
  recordsPerS: z.number().positive(),
  bytesPerS: z.number().positive(),
  /** A previous peak the stream absorbs twice of; 0 for a new stream. */
  previousPeakRecordsPerS: z.number().nonnegative(),
  previousPeakBytesPerS: z.number().nonnegative(),
  /** Throttled this long, the allowance doubles (AWS: 15 minutes). */
  scaleAfterMs: z.number().int().positive(),
  /** One partition key stays within one shard's write limits. */
  keyRecordsPerS: z.number().positive(),
  keyBytesPerS: z.number().positive(),
});
export type OnDemand = z.infer<typeof OnDemand>;

export const ServiceModel = z.strictObject({
  seed: z.number().int().nonnegative().default(1),
  latency: z.partialRecord(z.enum(MODEL_OPS), LatencySpec).default({}),
  /** Consumer applications polling each shard; this run's consumer gets 1/N of the reads. */
  consumerApps: z.number().int().min(1).max(20).default(1),
  /** Seconds of unused limit a shard may save up; 0: the limits hold over any one second. */
  burstSeconds: z.number().min(0).max(60).default(0),
  /**
   * Scales the write limits on top of the multiplier (a shard's records/s and bytes/s; on
   * demand, the stream's allowance and each key's): a stated stream's capacity over the local
   * shards (fidelity `capacity`). Reads keep AWS's per-shard figures: a consumer's cadence is
   * no capacity.
   */
  capacityScale: z.number().positive().max(1000).default(1),
  capacity: z
    .discriminatedUnion('mode', [z.strictObject({ mode: z.literal('provisioned') }), OnDemand])
    .default({ mode: 'provisioned' }),
  /** Control-plane limits in place of AWS's published ones (limits.ts), by operation. */
  controlPlane: z.partialRecord(z.enum(CONTROL_OPS), ControlLimit).default({}),
});
export type ServiceModel = z.output<typeof ServiceModel>;

export const LOOPBACK_MODEL: ServiceModel = ServiceModel.parse({});

/** A model from the admin route's JSON; throws a message naming the bad field. */
export function parseServiceModel(json: unknown): ServiceModel {
  const r = ServiceModel.safeParse(json);
  if (r.success) return r.data;
  const i = r.error.issues[0]!;
  const keys = i.code === 'unrecognized_keys' ? `: ${i.keys.join(', ')}` : '';
  throw new Error(`model.${i.path.join('.') || '(root)'}: ${i.message}${keys}`);
}
