import {
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleAll,
  isBrokenCircuitError,
} from 'cockatiel';
import type { BackendProducer, OutRecord, ProducerThrottle } from '../backend.ts';
import { BrokerError, EngineError, PublishTimeoutError, ShedError } from '../errors.ts';
import { Batcher, type BatcherOptions, type BrokerCall } from './batcher.ts';

export interface PublisherOptions extends BatcherOptions {
  /** Consecutive failed broker calls that open the producer breaker. */
  breakerFailures: number;
  /** How long the breaker stays open before one probe call is let through, ms. */
  breakerHalfOpenAfterMs: number;
}

type Outcomes = (Error | undefined)[];

/** Builds the producer breaker; exposed so the engine can attach it to the breaker board. */
export function producerBreaker(o: PublisherOptions): CircuitBreakerPolicy {
  return circuitBreaker(handleAll, {
    halfOpenAfter: o.breakerHalfOpenAfterMs,
    breaker: new ConsecutiveBreaker(o.breakerFailures),
  });
}

/** A call in which some records failed: a failure for the breaker, an answer for each record. */
class PartialFailure extends Error {
  constructor(readonly outcomes: Outcomes) {
    super('some records were not acknowledged');
  }
}

/**
 * The producer path: a bounded micro-batcher whose broker calls run through a timeout and
 * the producer circuit breaker. A call counts as failed for the breaker when it threw, timed
 * out, or left any record unacknowledged (a throttled shard, a refused record). While the
 * breaker is open, writes are shed with `breaker-open` at once, without touching the broker
 * or waiting for a call slot that a hung broker call may hold.
 */
export class Publisher {
  private readonly batcher: Batcher;
  private openedAt = 0;

  constructor(
    private readonly producer: BackendProducer,
    readonly breaker: CircuitBreakerPolicy,
    private readonly opts: PublisherOptions,
  ) {
    this.batcher = new Batcher((records) => this.call(producer, records), opts);
    breaker.onBreak(() => {
      this.openedAt = Date.now();
    });
  }

  /** Records queued or whose broker call has not settled. */
  get depth(): number {
    return this.batcher.depth;
  }

  /** Broker calls not settled yet. */
  get inFlight(): number {
    return this.batcher.inFlight;
  }

  /** What the broker throttled so far; unknown (null) where the backend cannot tell. */
  throttle(): ProducerThrottle {
    return this.producer.throttle?.() ?? { records: null, ms: null };
  }

  publish(record: OutRecord): Promise<void> {
    if (this.breakerOpen()) return Promise.reject(this.shed());
    return this.batcher.publish(record);
  }

  /** Resolves once every record published so far has been answered. */
  flush(): Promise<void> {
    return this.batcher.flush();
  }

  /** Open and not yet due for its half-open probe (cockatiel half-opens on the next call). */
  private breakerOpen(): boolean {
    return (
      this.breaker.state === CircuitState.Open &&
      Date.now() - this.openedAt < this.opts.breakerHalfOpenAfterMs
    );
  }

  private shed(): ShedError {
    return new ShedError('breaker-open', Math.ceil(this.opts.breakerHalfOpenAfterMs / 1000));
  }

  private call(producer: BackendProducer, records: OutRecord[]): BrokerCall {
    let sent: Promise<unknown> = Promise.resolve();
    const outcomes = this.guarded(records.length, () => {
      const p = producer.send(records);
      sent = p;
      return p;
    });
    const settled = outcomes
      .then(
        () => sent,
        () => sent,
      )
      .then(
        () => {},
        () => {},
      );
    return { outcomes, settled };
  }

  private async guarded(n: number, send: () => Promise<Outcomes>): Promise<Outcomes> {
    try {
      return await this.breaker.execute(async () => {
        // Unbounded (naive), a call waits for the broker: the client's per-request timeout alone ends it.
        const outcomes =
          this.opts.boundedQueue === false
            ? await send()
            : await withTimeout(send(), this.opts.publishTimeoutMs);
        // A missing outcome must not read as an ack.
        if (outcomes.length !== n) {
          throw new BrokerError(`backend answered ${outcomes.length} outcomes for ${n} records`, {
            unknownOutcome: true,
          });
        }
        if (outcomes.some((o) => o !== undefined)) throw new PartialFailure(outcomes);
        return outcomes;
      });
    } catch (e) {
      if (e instanceof PartialFailure) return e.outcomes;
      if (isBrokenCircuitError(e) || e instanceof BrokenCircuitError) throw this.shed();
      if (e instanceof EngineError) throw e;
      // An unexplained failure of a call that was sent may have written it.
      throw new BrokerError(`broker call failed: ${(e as Error).message}`, {
        cause: e,
        unknownOutcome: true,
      });
    }
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new PublishTimeoutError(ms)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
