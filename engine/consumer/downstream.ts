import {
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  ExponentialBackoff,
  fullJitterGenerator,
  handleWhen,
  type IBackoffFactory,
  isBrokenCircuitError,
  retry,
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
    // The call's own failure, told apart from the breaker's refusal and keepAlive's errors.
    let failure: unknown;
    const call = async () => {
      this.counts.calls++;
      if (calls++ > 0) this.counts.retries++;
      try {
        await this.fulfill(events);
      } catch (e) {
        this.counts.failures++;
        failure = e;
        throw e;
      }
    };
    const unbounded = !Number.isFinite(this.opts.maxAttempts);
    // Why the last failure was not retried; none: the attempts ran out.
    let stop: 'rejected' | 'breaker-not-closed' | 'stopping' | undefined;
    const retries = retry(
      handleWhen((e) => {
        if (e !== failure) return false;
        if (!isRetriable(e) && !unbounded) stop = 'rejected';
        else if (this.breaker.state !== CircuitState.Closed) stop = 'breaker-not-closed';
        else if (this.stopping()) stop = 'stopping';
        else stop = undefined;
        return stop === undefined;
      }),
      {
        // cockatiel counts retries, not attempts.
        maxAttempts: Math.max(0, this.opts.maxAttempts - 1),
        backoff: fullJitter(this.opts.retryBaseMs, this.opts.retryMaxMs),
      },
    );
    for (;;) {
      try {
        await retries.execute(async ({ attempt }) => {
          if (attempt > 0) await keepAlive();
          attempts = attempt + 1;
          await this.breaker.execute(call);
        });
        this.paused = false;
        return { ok: true, attempts };
      } catch (e) {
        if (isBrokenCircuitError(e)) {
          // Hand the batch back uncommitted rather than wait through a shutdown.
          if (this.stopping()) throw new StoppingError();
          this.paused = true;
          await this.sleep(this.opts.pausePollMs);
          await keepAlive();
          continue;
        }
        if (e !== failure) throw e;
        const error = (e as Error).message;
        if (stop === 'rejected') {
          return { ok: false, reason: 'fulfillment-rejected', attempts, error };
        }
        // The breaker opened: the next round pauses, and counts its attempts afresh.
        if (stop === 'breaker-not-closed') continue;
        if (attempts >= this.opts.maxAttempts) {
          return { ok: false, reason: 'retries-exhausted', attempts, error };
        }
        throw new StoppingError();
      }
    }
  }
}

/**
 * Exponential backoff with full jitter: a retry waits a random time below
 * min(maxMs, baseMs * 2^(retry - 1)), in whole ms.
 */
export function fullJitter(baseMs: number, maxMs: number): IBackoffFactory<unknown> {
  return new ExponentialBackoff({
    generator: fullJitterGenerator,
    initialDelay: baseMs,
    maxDelay: maxMs,
  });
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
