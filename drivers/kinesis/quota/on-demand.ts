/**
 * On-demand capacity for one stream: a stream-level write allowance (a new stream's, or twice
 * a previous peak), writes above it throttled, the allowance doubled once writes have been
 * throttled for `scaleAfterMs`; each partition key stays within one shard's write limits.
 */
import type { OnDemand } from '../../../contract/service-model.ts';
import { type Limit, perSecond } from './window.ts';

/** Keys remembered at most; a key idle for a second has its full limit anyway. */
const MAX_KEYS = 100_000;

export type WriteVerdict = 'ok' | 'stream' | 'key';

export class OnDemandStream {
  private recordsPerS: number;
  private bytesPerS: number;
  private records: Limit;
  private bytes: Limit;
  private throttledSince: number | undefined;
  private readonly keys = new Map<string, { records: Limit; bytes: Limit }>();

  constructor(
    private readonly spec: OnDemand,
    private readonly multiplier: number,
    private readonly burstSeconds: number,
    now: number,
  ) {
    this.recordsPerS = Math.max(spec.recordsPerS, 2 * spec.previousPeakRecordsPerS) * multiplier;
    this.bytesPerS = Math.max(spec.bytesPerS, 2 * spec.previousPeakBytesPerS) * multiplier;
    this.records = perSecond(this.recordsPerS, burstSeconds, now);
    this.bytes = perSecond(this.bytesPerS, burstSeconds, now);
  }

  /** The write allowance in force, records/s and bytes/s. */
  allowance(): { recordsPerS: number; bytesPerS: number } {
    return { recordsPerS: this.recordsPerS, bytesPerS: this.bytesPerS };
  }

  /** Admits one record of `bytes` under `key`, or says which limit refused it. */
  admitWrite(key: string, bytes: number, now: number): WriteVerdict {
    this.scale(now);
    const k = this.keyLimits(key, now);
    if (!k.records.has(1, now) || !k.bytes.has(bytes, now)) return 'key';
    if (!this.records.has(1, now) || !this.bytes.has(bytes, now)) {
      this.throttledSince ??= now;
      return 'stream';
    }
    this.records.take(1, now);
    this.bytes.take(bytes, now);
    k.records.take(1, now);
    k.bytes.take(bytes, now);
    return 'ok';
  }

  /** Throttled long enough: twice the allowance from now on. */
  private scale(now: number): void {
    if (this.throttledSince === undefined || now - this.throttledSince < this.spec.scaleAfterMs)
      return;
    this.recordsPerS *= 2;
    this.bytesPerS *= 2;
    this.records = perSecond(this.recordsPerS, this.burstSeconds, now);
    this.bytes = perSecond(this.bytesPerS, this.burstSeconds, now);
    this.throttledSince = undefined;
  }

  private keyLimits(key: string, now: number): { records: Limit; bytes: Limit } {
    let k = this.keys.get(key);
    if (!k) {
      if (this.keys.size >= MAX_KEYS) this.keys.delete(this.keys.keys().next().value!);
      k = {
        records: perSecond(this.spec.keyRecordsPerS * this.multiplier, this.burstSeconds, now),
        bytes: perSecond(this.spec.keyBytesPerS * this.multiplier, this.burstSeconds, now),
      };
      this.keys.set(key, k);
    }
    return k;
  }
}
