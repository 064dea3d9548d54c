/**
 * The fulfillment service's capacity: a fixed number of requests served at once, a bounded
 * queue behind them, a wait limit in that queue, a service time, and shares of requests
 * answered 500 / 422 drawn from a seeded generator so that a run can be repeated.
 * Defaults are effectively unlimited with no errors.
 */
import { generateMersenne53Randomizer } from '@faker-js/faker';
import { z } from 'zod';

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const share = z.number().min(0).max(1);

const fields = {
  /** Time each request takes once served, ms. */
  serviceTimeMs: int(0, 600_000),
  /**
   * Time added per event in the request's batch, ms: what bounds the events served per
   * second however the consumer batches (concurrency / serviceTimePerEventMs × 1000).
   */
  serviceTimePerEventMs: z.number().min(0).max(60_000),
  /** Requests served at once. */
  concurrency: int(1, 1_000_000),
  /** Requests waiting beyond those; further ones are refused at once (503 `queue-full`). */
  queueLimit: int(0, 1_000_000),
  /** A queued request that waited longer is answered 503 `queue-timeout`, ms. */
  queueTimeoutMs: int(1, 600_000),
  /** Share of served requests answered 500. */
  errorRate5xx: share,
  /** Share of served requests answered 422 (a refusal). */
  errorRate4xx: share,
};
const sharesFit = (c: { errorRate5xx?: number; errorRate4xx?: number }) =>
  (c.errorRate5xx ?? 0) + (c.errorRate4xx ?? 0) <= 1;
const sharesMessage = { message: 'errorRate5xx + errorRate4xx must not exceed 1' };

export const CapacitySchema = z.strictObject(fields).refine(sharesFit, sharesMessage);
export type Capacity = z.infer<typeof CapacitySchema>;
/** Any subset of the settings, as `PUT /admin/capacity` and a plan's `downstream:` step take it. */
export const CapacityPatchSchema = z.strictObject(fields).partial();
export type CapacityPatch = z.infer<typeof CapacityPatchSchema>;

export const DEFAULT_CAPACITY: Capacity = {
  serviceTimeMs: 0,
  serviceTimePerEventMs: 0,
  concurrency: 1_000_000,
  queueLimit: 1_000_000,
  queueTimeoutMs: 600_000,
  errorRate5xx: 0,
  errorRate4xx: 0,
};

export interface CapacityCounts {
  /** Requests received. */
  offered: number;
  /** Answered 2xx. */
  served: number;
  /** Refused at once: the queue was full. */
  refused: number;
  /** Waited in the queue longer than queueTimeoutMs. */
  timedOut: number;
  errors5xx: number;
  errors4xx: number;
}

export type Verdict =
  | { status: 200 }
  | { status: 500 | 422 | 503; error: 'injected' | 'queue-full' | 'queue-timeout' };

interface Waiter {
  go: () => void;
  timer: NodeJS.Timeout;
}

export class CapacityModel {
  readonly counts: CapacityCounts = {
    offered: 0,
    served: 0,
    refused: 0,
    timedOut: 0,
    errors5xx: 0,
    errors4xx: 0,
  };
  private active = 0;
  private readonly queue: Waiter[] = [];
  private readonly rng = generateMersenne53Randomizer();

  constructor(
    private settings: Capacity = DEFAULT_CAPACITY,
    seed = 1,
  ) {
    this.rng.seed(seed);
  }

  get capacity(): Capacity {
    return { ...this.settings };
  }

  get load(): { active: number; queued: number } {
    return { active: this.active, queued: this.queue.length };
  }

  /** Applies a validated subset; answers the settings it replaced. */
  set(patch: CapacityPatch): Capacity {
    const previous = this.capacity;
    const next = CapacitySchema.parse({ ...previous, ...patch });
    this.settings = next;
    this.drain();
    return previous;
  }

  /**
   * Runs `work` (the fulfilment of `events` events) under the capacity: waits for a slot,
   * takes the service time, then answers as the error shares say; `work` runs only for a 200.
   */
  async handle(work: () => void, events = 1): Promise<Verdict> {
    this.counts.offered++;
    const admitted = await this.admit();
    if (admitted !== true) return admitted;
    try {
      const ms = this.settings.serviceTimeMs + this.settings.serviceTimePerEventMs * events;
      if (ms > 0) await new Promise((r) => setTimeout(r, ms));
      const x = this.rng.next();
      const { errorRate5xx, errorRate4xx } = this.settings;
      if (x < errorRate5xx) {
        this.counts.errors5xx++;
        return { status: 500, error: 'injected' };
      }
      if (x < errorRate5xx + errorRate4xx) {
        this.counts.errors4xx++;
        return { status: 422, error: 'injected' };
      }
      work();
      this.counts.served++;
      return { status: 200 };
    } finally {
      this.active--;
      this.drain();
    }
  }

  private admit(): Promise<true | Verdict> | true | Verdict {
    if (this.active < this.settings.concurrency) {
      this.active++;
      return true;
    }
    if (this.queue.length >= this.settings.queueLimit) {
      this.counts.refused++;
      return { status: 503, error: 'queue-full' };
    }
    return new Promise((resolve) => {
      const w: Waiter = {
        go: () => {
          clearTimeout(w.timer);
          resolve(true);
        },
        timer: setTimeout(() => {
          this.queue.splice(this.queue.indexOf(w), 1);
          this.counts.timedOut++;
          resolve({ status: 503, error: 'queue-timeout' });
        }, this.settings.queueTimeoutMs),
      };
      this.queue.push(w);
    });
  }

  /** Hands free slots to the queue in arrival order. */
  private drain(): void {
    while (this.active < this.settings.concurrency && this.queue.length > 0) {
      this.active++;
      this.queue.shift()!.go();
    }
  }
}
