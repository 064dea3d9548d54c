/**
 * A token bucket: `rate` tokens a second up to `capacity`, for limits that may save up a
 * burst (window.ts) and for bytes read. `charge` may take it below zero, for costs known only afterwards (GetRecords bytes); the
 * debt is paid back at `rate` before anything else passes.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly rate: number,
    readonly capacity: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.last = now;
  }

  private refill(now: number): void {
    const elapsedS = Math.max(0, now - this.last) / 1000;
    this.tokens = Math.min(this.capacity, this.tokens + elapsedS * this.rate);
    this.last = now;
  }

  /** Whether `n` tokens are there now (without taking them). */
  has(n: number, now: number): boolean {
    this.refill(now);
    return this.tokens >= n;
  }

  /** Takes `n` tokens if there are that many. */
  take(n: number, now: number): boolean {
    if (!this.has(n, now)) return false;
    this.tokens -= n;
    return true;
  }

  /** Takes `n` tokens even into debt. */
  charge(n: number, now: number): void {
    this.refill(now);
    this.tokens -= n;
  }

  /** The tokens there now; below zero while in debt. */
  level(now: number): number {
    this.refill(now);
    return this.tokens;
  }

  /**
   * Starts from `earlier`'s state: its tokens (debt included) up to this capacity, or, for a
   * limit over a window, this capacity less what that window holds.
   */
  carry(earlier: TokenBucket | { used(now: number): number }, now: number): void {
    this.refill(now);
    this.tokens =
      earlier instanceof TokenBucket
        ? Math.min(this.capacity, earlier.level(now))
        : this.capacity - earlier.used(now);
  }

  /** Whether the bucket is out of debt. */
  solvent(now: number): boolean {
    return this.has(0, now) && this.tokens > 0;
  }
}
