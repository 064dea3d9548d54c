/**
 * On-demand capacity for one stream: a stream-level write allowance (a new stream's, or twice
 * a previous peak), writes above it throttled, the allowance doubled once writes have been
 * throttled for `scaleAfterMs`; each partition key stays within one shard's write limits.
 */
import type { OnDemand } from '../../../contract/service-model.ts';
import { carryInto, type Limit, perSecond } from './window.ts';

/**
 * Keys remembered: past this many, idle ones are forgotten (a key idle for a second, or for its
 * burst, has its full limit anyway); a key still counting against its limit never is.
 */
const MAX_KEYS = 100_000;

interface KeyLimits {
  records: Limit;
  bytes: Limit;
  /** Its last admission, ms. */
  last: number;
}

export type WriteVerdict = 'ok' | 'stream' | 'key';

export class OnDemandStream {
  private recordsPerS: number;
  private bytesPerS: number;
  private records: Limit;
  private bytes: Limit;
  private throttledSince: number | undefined;
  /** Least recently admitted first. */
  private readonly keys = new Map<string, KeyLimits>();

  /** With `earlier` (the stream before a mode or model change), carries what it admitted. */
  constructor(
    private readonly spec: OnDemand,
    private readonly multiplier: number,
    private readonly burstSeconds: number,
    now: number,
    earlier?: OnDemandStream,
    private readonly maxKeys = MAX_KEYS,
  ) {
    this.recordsPerS = Math.max(spec.recordsPerS, 2 * spec.previousPeakRecordsPerS) * multiplier;
    this.bytesPerS = Math.max(spec.bytesPerS, 2 * spec.previousPeakBytesPerS) * multiplier;
    this.records = perSecond(this.recordsPerS, burstSeconds, now, earlier?.records);
    this.bytes = perSecond(this.bytesPerS, burstSeconds, now, earlier?.bytes);
    for (const [key, k] of earlier?.keys ?? []) {
      this.keys.set(key, { ...this.newKey(now, k), last: k.last });
    }
  }

  /** Counts what these limits admitted (a provisioned stream's shards) as the stream's own. */
  carryWrites(shards: { records: Limit; bytes: Limit }[], now: number): void {
    for (const w of shards) {
      carryInto(this.records, w.records, now);
      carryInto(this.bytes, w.bytes, now);
    }
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
    k.last = now;
    this.keys.delete(key);
    this.keys.set(key, k);
    return 'ok';
  }

  /** Throttled long enough: twice the allowance from now on. */
  private scale(now: number): void {
    if (this.throttledSince === undefined || now - this.throttledSince < this.spec.scaleAfterMs)
      return;
    this.recordsPerS *= 2;
    this.bytesPerS *= 2;
    // The new allowance counts what the old one admitted in the last second.
    this.records = perSecond(this.recordsPerS, this.burstSeconds, now, this.records);
    this.bytes = perSecond(this.bytesPerS, this.burstSeconds, now, this.bytes);
    this.throttledSince = undefined;
  }

  private keyLimits(key: string, now: number): KeyLimits {
    let k = this.keys.get(key);
    if (!k) {
      this.forgetIdleKeys(now);
      k = { ...this.newKey(now), last: Number.NEGATIVE_INFINITY };
      this.keys.set(key, k);
    }
    return k;
  }

  private newKey(now: number, earlier?: KeyLimits): Omit<KeyLimits, 'last'> {
    const perS = (n: number, was: Limit | undefined) =>
      perSecond(n * this.multiplier, this.burstSeconds, now, was);
    return {
      records: perS(this.spec.keyRecordsPerS, earlier?.records),
      bytes: perS(this.spec.keyBytesPerS, earlier?.bytes),
    };
  }

  /** Past the cap, forgets the least recently admitted keys that are idle long enough. */
  private forgetIdleKeys(now: number): void {
    const idleMs = 1000 * Math.max(1, this.burstSeconds);
    for (const [key, k] of this.keys) {
      if (this.keys.size < this.maxKeys || now - k.last < idleMs) return;
      this.keys.delete(key);
    }
  }
}
