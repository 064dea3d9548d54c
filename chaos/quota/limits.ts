/**
 * AWS Kinesis per-shard limits (Kinesis Data Streams quotas, provisioned mode) and the
 * quota layer's modes: off, on, or on with every limit scaled by a multiplier.
 */

import { UserError } from '../../common/user-error.ts';
import { TokenBucket } from './bucket.ts';

export const MiB = 1024 * 1024;

export const SHARD_LIMITS = {
  writeRecordsPerS: 1_000,
  writeBytesPerS: 1 * MiB,
  readCallsPerS: 5,
  readBytesPerS: 2 * MiB,
} as const;

export interface QuotaMode {
  mode: 'on' | 'off';
  multiplier: number;
}

export class QuotaModeError extends UserError {
  override name = 'QuotaModeError';
}

/** `off`, `on` (×1), or a multiplier such as `0.5`, `x2`, `on x2`. */
export function parseQuotaMode(raw: string): QuotaMode {
  const s = raw.trim().toLowerCase();
  if (s === 'off') return { mode: 'off', multiplier: 1 };
  if (s === 'on') return { mode: 'on', multiplier: 1 };
  const m = /^(?:on\s*)?[x×]?\s*(\d+(?:\.\d+)?)$/.exec(s);
  const n = m ? Number(m[1]) : Number.NaN;
  if (!(n > 0))
    throw new QuotaModeError(
      `quota mode: expected off, on or a multiplier > 0 such as 0.5, got '${raw}'`,
    );
  return { mode: 'on', multiplier: n };
}

export function formatQuotaMode(m: QuotaMode): string {
  return m.mode === 'off' ? 'off' : `on x${m.multiplier}`;
}

/** The four buckets of one shard at a given multiplier. */
export class ShardBuckets {
  readonly writeRecords: TokenBucket;
  readonly writeBytes: TokenBucket;
  readonly readCalls: TokenBucket;
  readonly readBytes: TokenBucket;

  constructor(multiplier: number, now: number) {
    const b = (perS: number) => new TokenBucket(perS * multiplier, perS * multiplier, now);
    this.writeRecords = b(SHARD_LIMITS.writeRecordsPerS);
    this.writeBytes = b(SHARD_LIMITS.writeBytesPerS);
    this.readCalls = b(SHARD_LIMITS.readCallsPerS);
    this.readBytes = b(SHARD_LIMITS.readBytesPerS);
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
