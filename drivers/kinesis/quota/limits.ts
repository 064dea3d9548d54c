/**
 * AWS Kinesis per-shard limits (Kinesis Data Streams quotas, provisioned mode; they hold over
 * any one-second window unless the service model grants a burst) and the
 * quota layer's modes: off, on, on with every limit scaled by a multiplier, or lie (a broker
 * that acknowledges a share of the records it is sent and drops them).
 */

import type { ControlLimit, ControlOp } from '../../../contract/service-model.ts';
import { TokenBucket } from './bucket.ts';
import { type Limit, perSecond, WindowLimit } from './window.ts';

export const MiB = 1024 * 1024;

export const SHARD_LIMITS = {
  writeRecordsPerS: 1_000,
  writeBytesPerS: 1 * MiB,
  readCallsPerS: 5,
  readBytesPerS: 2 * MiB,
  iteratorCallsPerS: 5,
} as const;

/** Per-call limits, whatever the shard's throughput. */
export const CALL_LIMITS = {
  putRecordsBytes: 5 * MiB,
  recordBytes: 1 * MiB,
  getRecordsBytes: 10 * MiB,
} as const;

export {
  formatQuotaMode,
  lieMode,
  parseQuotaMode,
  type QuotaMode,
  quotaModeOf,
} from '../../../chaos/quota-mode.ts';

/** How a shard's limits are shaped: saved-up burst, and how many consumers share the reads. */
export interface ShardShape {
  burstSeconds: number;
  consumerApps: number;
  /** Scales the write limits alone (service-model.ts); default 1. */
  capacityScale?: number;
}

/** The buckets of one shard at a given multiplier. */
export class ShardBuckets {
  readonly writeRecords: Limit;
  readonly writeBytes: Limit;
  readonly readCalls: Limit;
  readonly readBytes: TokenBucket;
  readonly iteratorCalls: Limit;

  /** With `earlier` (the shard's buckets before a mode or model change), carries what they admitted. */
  constructor(
    multiplier: number,
    now: number,
    shape: ShardShape = { burstSeconds: 0, consumerApps: 1 },
    earlier?: ShardBuckets,
  ) {
    const b = (perS: number, was: Limit | undefined) =>
      perSecond(perS * multiplier, shape.burstSeconds, now, was);
    const writes = shape.capacityScale ?? 1;
    this.writeRecords = b(SHARD_LIMITS.writeRecordsPerS * writes, earlier?.writeRecords);
    this.writeBytes = b(SHARD_LIMITS.writeBytesPerS * writes, earlier?.writeBytes);
    this.readCalls = readCallLimit(multiplier, shape, now, earlier?.readCalls);
    // Bytes read are a debt paid back at 2 MiB/s: a 10 MiB read blocks the next 5 s.
    const readBytes = SHARD_LIMITS.readBytesPerS * multiplier;
    this.readBytes = new TokenBucket(readBytes, readBytes, now);
    if (earlier) this.readBytes.carry(earlier.readBytes, now);
    this.iteratorCalls = b(SHARD_LIMITS.iteratorCallsPerS, earlier?.iteratorCalls);
  }

  /** Admits one record of `bytes` (data + partition key) if both write buckets allow it. */
  admitWrite(bytes: number, now: number): boolean {
    if (!this.writeRecords.has(1, now) || !this.writeBytes.has(bytes, now)) return false;
    this.writeRecords.take(1, now);
    this.writeBytes.take(bytes, now);
    return true;
  }

  /** Admits one GetRecords call unless the call rate or an unpaid byte debt forbids it. */
  admitRead(now: number): boolean {
    if (!this.readBytes.solvent(now)) return false;
    return this.readCalls.take(1, now);
  }
}

/**
 * This consumer's share of the 5 GetRecords calls a second when N consumer applications poll
 * the shard: the other N−1 take theirs, so 5 calls in every N seconds are left. Under one call
 * a second (×0.1: 0.5), one call every N/perS seconds.
 */
function readCallLimit(multiplier: number, shape: ShardShape, now: number, earlier?: Limit): Limit {
  const perS = SHARD_LIMITS.readCallsPerS * multiplier;
  const n = shape.consumerApps;
  if (shape.burstSeconds > 0) return perSecond(perS / n, shape.burstSeconds, now, earlier);
  const w =
    perS >= 1 ? new WindowLimit(Math.floor(perS), 1000 * n) : new WindowLimit(1, (1000 * n) / perS);
  if (earlier) w.carry(earlier, now);
  return w;
}

/**
 * AWS's published limits on control-plane calls, transactions a second, each over the whole
 * account or per stream (Kinesis Data Streams API Reference, each operation's page:
 * https://docs.aws.amazon.com/kinesis/latest/APIReference/API_Operations.html). Over the limit,
 * AWS answers LimitExceededException. A service model (a fidelity profile's `controlPlane`)
 * may set others.
 */
export const CONTROL_LIMITS: Record<ControlOp, ControlLimit> = {
  ListShards: { perS: 1000, per: 'stream' },
  DescribeStream: { perS: 10, per: 'account' },
  DescribeStreamSummary: { perS: 20, per: 'account' },
  DescribeLimits: { perS: 1, per: 'account' },
  CreateStream: { perS: 5, per: 'account' },
  DeleteStream: { perS: 5, per: 'account' },
  ListStreams: { perS: 5, per: 'account' },
  SplitShard: { perS: 5, per: 'account' },
  MergeShards: { perS: 5, per: 'account' },
};
