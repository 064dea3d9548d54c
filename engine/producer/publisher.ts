import {
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  ConsecutiveBreaker,
  circuitBreaker,
  handleAll,
  isBrokenCircuitError,
} from 'cockatiel';
import type { BackendProducer, OutRecord } from '../backends/types.ts';
import { BrokerError, EngineError, PublishTimeoutError, ShedError } from '../errors.ts';
import { Batcher, type BatcherOptions } from './batcher.ts';

export interface PublisherOptions extends BatcherOptions {
  /** A broker call slower than this fails (and counts against the breaker), ms. */
  publishTimeoutMs: number;
  /** Consecutive failed broker calls that open the producer breaker. */
  breakerFailures: number;
  /** How long the breaker stays open before one probe call is let through, ms. */
  breakerHalfOpenAfterMs: number;
}

/** Builds the producer breaker; exposed so the engine can attach it to the breaker board. */
export function producerBreaker(o: PublisherOptions): CircuitBreakerPolicy {
  return circuitBreaker(handleAll, {
    halfOpenAfter: o.breakerHalfOpenAfterMs,
    breaker: new ConsecutiveBreaker(o.breakerFailures),
  });
}

/**
 * The producer path: a bounded micro-batcher whose broker calls run through a timeout and
 * the producer circuit breaker. While the breaker is open a batch fails at once with
 * `breaker-open`, without touching the broker.
 */
export class Publisher {
  private readonly batcher: Batcher;

  constructor(
    producer: BackendProducer,
    readonly breaker: CircuitBreakerPolicy,
    private readonly opts: PublisherOptions,
  ) {
    this.batcher = new Batcher((records) => this.guarded(producer, records), opts);
  }

  get depth(): number {
    return this.batcher.depth;
  }

  publish(record: OutRecord): Promise<void> {
    return this.batcher.publish(record);
  }

  flush(): Promise<void> {
    return this.batcher.flush();
  }

  private async guarded(producer: BackendProducer, records: OutRecord[]) {
    try {
      return await this.breaker.execute(() =>
        withTimeout(producer.send(records), this.opts.publishTimeoutMs),
      );
    } catch (e) {
      if (isBrokenCircuitError(e) || e instanceof BrokenCircuitError) {
        throw new ShedError('breaker-open', Math.ceil(this.opts.breakerHalfOpenAfterMs / 1000));
      }
      if (e instanceof EngineError) throw e;
      throw new BrokerError(`broker call failed: ${(e as Error).message}`, { cause: e });
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
