import { TokenBucket } from './bucket.ts';

/**
 * A limit that holds over any window of `windowMs` (one second for AWS's per-second limits):
 * what was admitted in the last window plus the new amount may not exceed `limit`. Unlike a
 * token bucket that starts full, an idle spell never lets twice the rate through in one second.
 */
export class WindowLimit {
  /** Admissions [time, amount], oldest first; same-millisecond admissions are merged. */
  private readonly log: [number, number][] = [];
  private sum = 0;

  constructor(
    readonly limit: number,
    readonly windowMs = 1000,
  ) {}

  private expire(now: number): void {
    while (this.log.length > 0 && this.log[0]![0] <= now - this.windowMs) {
      this.sum -= this.log.shift()![1];
    }
  }

  /** Whether `n` more fit in the window ending now. */
  has(n: number, now: number): boolean {
    this.expire(now);
    return this.sum + n <= this.limit + 1e-9;
  }

  /** Takes `n` if they fit. */
  take(n: number, now: number): boolean {
    if (!this.has(n, now)) return false;
    const last = this.log.at(-1);
    if (last && last[0] === now) last[1] += n;
    else this.log.push([now, n]);
    this.sum += n;
    return true;
  }

  /** What the window ending now holds. */
  used(now: number): number {
    this.expire(now);
    return this.sum;
  }
}

/** A limit over a window, or (with a granted burst) a token bucket that can save up. */
export interface Limit {
  has(n: number, now: number): boolean;
  take(n: number, now: number): boolean;
}

/**
 * `perS` a second over any one-second window; with `burstSeconds` > 0, a bucket that saves
 * up that many seconds of unused limit (1 lets twice the rate through right after an idle spell).
 */
export function perSecond(perS: number, burstSeconds: number, now: number): Limit {
  return burstSeconds > 0 ? new TokenBucket(perS, perS * burstSeconds, now) : new WindowLimit(perS);
}
