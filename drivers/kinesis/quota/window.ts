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

  /** Counts `n` as admitted now whether or not they fit (what another limit let through). */
  charge(n: number, now: number): void {
    this.expire(now);
    const last = this.log.at(-1);
    if (last && last[0] === now) last[1] += n;
    else this.log.push([now, n]);
    this.sum += n;
  }

  /** What the window ending now holds. */
  used(now: number): number {
    this.expire(now);
    return this.sum;
  }

  /** Counts `earlier`'s admissions still inside this window as this one's own. */
  carry(earlier: Limit, now: number): void {
    if (earlier instanceof WindowLimit) {
      earlier.expire(now);
      for (const [t, n] of earlier.log) if (t > now - this.windowMs) this.log.push([t, n]);
      // Several limits may be carried into one (a stream's shards): keep the log in time order.
      this.log.sort((a, b) => a[0] - b[0]);
      this.sum = this.log.reduce((a, [, n]) => a + n, 0);
    } else if (earlier instanceof TokenBucket) {
      // A bucket keeps no times: what it has not refilled yet counts as taken just now.
      const owed = Math.min(this.limit, earlier.capacity - earlier.level(now));
      if (owed > 0) {
        this.log.push([now, owed]);
        this.sum += owed;
      }
    }
  }
}

/** A limit over a window, or (with a granted burst) a token bucket that can save up. */
export type Limit = WindowLimit | TokenBucket;

/** Adds what `earlier` admitted to `into` (several may be added: a stream's shards). */
export function carryInto(into: Limit, earlier: Limit, now: number): void {
  if (into instanceof WindowLimit) {
    into.carry(earlier, now);
    return;
  }
  // A bucket keeps no times: what `earlier` still holds is a debt paid back at the bucket's rate.
  const held =
    earlier instanceof WindowLimit
      ? earlier.used(now)
      : Math.max(0, earlier.capacity - earlier.level(now));
  into.charge(held, now);
}

/**
 * `perS` a second over any one-second window; with `burstSeconds` > 0, a bucket that saves
 * up that many seconds of unused limit (1 lets twice the rate through right after an idle spell).
 * Under one a second (a multiplier of 0.1 on 5 calls/s), one every 1/perS seconds. A limit that
 * replaces `earlier` (a new multiplier, model or allowance) starts from what `earlier` admitted
 * in the last window, so no window straddling the change admits more than the limit.
 */
export function perSecond(perS: number, burstSeconds: number, now: number, earlier?: Limit): Limit {
  if (burstSeconds > 0) {
    const b = new TokenBucket(perS, Math.max(1, perS * burstSeconds), now);
    if (earlier) b.carry(earlier, now);
    return b;
  }
  const w = perS >= 1 ? new WindowLimit(perS) : new WindowLimit(1, 1000 / perS);
  if (earlier) w.carry(earlier, now);
  return w;
}
