/**
 * AWS Kinesis per-shard limits (Kinesis Data Streams quotas, provisioned mode; they hold over
 * any one-second window unless the service model grants a burst) and the
 * quota layer's modes: off, on, on with every limit scaled by a multiplier, or lie (a broker
 * that acknowledges a share of the records it is sent and drops them).
 */

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
}

/** The buckets of one shard at a given multiplier. */
export class ShardBuckets {
  readonly writeRecords: Limit;
  readonly writeBytes: Limit;
  readonly readCalls: Limit;
  readonly readBytes: TokenBucket;
  readonly iteratorCalls: Limit;

  constructor(
    multiplier: number,
    now: number,
    shape: ShardShape = { burstSeconds: 0, consumerApps: 1 },
  ) {
    const b = (perS: number) => perSecond(perS * multiplier, shape.burstSeconds, now);
    this.writeRecords = b(SHARD_LIMITS.writeRecordsPerS);
    this.writeBytes = b(SHARD_LIMITS.writeBytesPerS);
    this.readCalls = readCallLimit(multiplier, shape, now);
    // Bytes read are a debt paid back at 2 MiB/s: a 10 MiB read blocks the next 5 s.
    const readBytes = SHARD_LIMITS.readBytesPerS * multiplier;
    this.readBytes = new TokenBucket(readBytes, readBytes, now);
    this.iteratorCalls = b(SHARD_LIMITS.iteratorCallsPerS);
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
 * the shard: the other N−1 take theirs, so 5 calls in every N seconds are left.
 */
function readCallLimit(multiplier: number, shape: ShardShape, now: number): Limit {
  const perS = SHARD_LIMITS.readCallsPerS * multiplier;
  if (shape.burstSeconds > 0) return perSecond(perS / shape.consumerApps, shape.burstSeconds, now);
  return new WindowLimit(Math.max(1, Math.floor(perS)), 1000 * shape.consumerApps);
}
