import {
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  isBrokenCircuitError,
} from 'cockatiel';
import { isRetriable, StoppingError } from '../errors.ts';
import type { HuntEvent } from '../event.ts';
import type { FulfillFn } from './fulfillment-client.ts';

export interface DownstreamOptions {
  /**
   * Attempts per batch while the breaker stays closed; then `retries-exhausted`.
   * Infinity with no DLQ to send to: every failure, refusals included, is retried.
   */
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  breakerFailures: number;
  breakerHalfOpenAfterMs: number;
  /** How often a paused consumer looks whether it may go on, ms. */
  pausePollMs: number;
}

export type Outcome =
  | { ok: true; attempts: number }
  | {
      ok: false;
      reason: 'fulfillment-rejected' | 'retries-exhausted';
      attempts: number;
      error: string;
    };

/** HTTP calls to the fulfillment service: retries are calls beyond a batch's first. */
export interface DownstreamCounts {
  calls: number;
  retries: number;
  failures: number;
}

export function downstreamBreaker(o: DownstreamOptions): CircuitBreakerPolicy {
  // Only transient failures speak about the service's health; a refusal is about the event.
  return circuitBreaker(
    handleWhen((e) => isRetriable(e)),
    { halfOpenAfter: o.breakerHalfOpenAfterMs, breaker: new ConsecutiveBreaker(o.breakerFailures) },
  );
}

/**
 * Delivers a batch to fulfillment. While the downstream breaker is open the consumer pauses
 * (waits, keeping its group membership) rather than dead-lettering: an outage says nothing
 * about the events, so attempts made during one do not count toward `retries-exhausted`.
 */
export class Downstream {
  /** True while waiting for an open breaker. */
  paused = false;
  readonly counts: DownstreamCounts = { calls: 0, retries: 0, failures: 0 };

  constructor(
    private readonly fulfill: FulfillFn,
    readonly breaker: CircuitBreakerPolicy,
    private readonly opts: DownstreamOptions,
    private readonly stopping: () => boolean,
    private readonly sleep: (ms: number) => Promise<void> = defaultSleep,
  ) {}

  async deliver(events: HuntEvent[], keepAlive: () => Promise<void>): Promise<Outcome> {
    let attempts = 0;
    let calls = 0;
    const call = async () => {
      this.counts.calls++;
      if (calls++ > 0) this.counts.retries++;
      try {
        await this.fulfill(events);
      } catch (e) {
        this.counts.failures++;
        throw e;
      }
    };
    const unbounded = !Number.isFinite(this.opts.maxAttempts);
    for (;;) {
      try {
        await this.breaker.execute(call);
        this.paused = false;
        return { ok: true, attempts: attempts + 1 };
      } catch (e) {
        if (isBrokenCircuitError(e)) {
          // Hand the batch back uncommitted rather than wait through a shutdown.
          if (this.stopping()) throw new StoppingError();
          this.paused = true;
          attempts = 0;
          await this.sleep(this.opts.pausePollMs);
          await keepAlive();
          continue;
        }
        attempts++;
        const error = (e as Error).message;
        if (!isRetriable(e) && !unbounded) {
          return { ok: false, reason: 'fulfillment-rejected', attempts, error };
        }
        if (this.breaker.state !== CircuitState.Closed) {
          attempts = 0;
          continue;
        }
        if (attempts >= this.opts.maxAttempts) {
          return { ok: false, reason: 'retries-exhausted', attempts, error };
        }
        if (this.stopping()) throw new StoppingError();
        await this.sleep(backoff(attempts, this.opts.retryBaseMs, this.opts.retryMaxMs));
        await keepAlive();
      }
    }
  }
}

/** Exponential backoff with full jitter. */
export function backoff(attempt: number, baseMs: number, maxMs: number): number {
  return Math.random() * Math.min(maxMs, baseMs * 2 ** (attempt - 1));
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
