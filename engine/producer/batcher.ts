import type { OutRecord } from '../backends/types.ts';
import { ShedError } from '../errors.ts';

export interface BatcherOptions {
  /** Records queued or in flight before new ones are shed (`queue-full`). */
  maxQueue: number;
  /** Records per broker call (Kinesis PutRecords allows 500). */
  maxBatch: number;
  /** How long the first record of a batch waits for company, ms. */
  lingerMs: number;
  /** Broker calls in flight at once. */
  maxInFlight: number;
}

interface Pending {
  record: OutRecord;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * Micro-batching: requests arriving within `lingerMs` share one broker call, and each is
 * settled by its own record's outcome. The queue is bounded; when full we shed instead of
 * growing, and nothing already queued is ever dropped.
 */
export class Batcher {
  private queue: Pending[] = [];
  private inFlight = 0;
  private outstanding = 0;
  private timer: NodeJS.Timeout | undefined;
  private idle: (() => void)[] = [];

  constructor(
    private readonly send: (records: OutRecord[]) => Promise<(Error | undefined)[]>,
    private readonly opts: BatcherOptions,
  ) {}

  /** Records queued or in flight. */
  get depth(): number {
    return this.outstanding;
  }

  publish(record: OutRecord): Promise<void> {
    if (this.outstanding >= this.opts.maxQueue) return Promise.reject(new ShedError('queue-full'));
    this.outstanding++;
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      if (this.queue.length >= this.opts.maxBatch) this.dispatch();
      else this.timer ??= setTimeout(() => this.dispatch(), this.opts.lingerMs);
    });
  }

  /** Resolves once everything queued so far has been settled. */
  flush(): Promise<void> {
    this.dispatch();
    if (this.outstanding === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private dispatch(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length > 0 && this.inFlight < this.opts.maxInFlight) {
      const batch = this.queue.splice(0, this.opts.maxBatch);
      this.inFlight++;
      void this.run(batch);
    }
    if (this.queue.length > 0) this.timer ??= setTimeout(() => this.dispatch(), this.opts.lingerMs);
  }

  private async run(batch: Pending[]): Promise<void> {
    try {
      const outcomes = await this.send(batch.map((p) => p.record));
      batch.forEach((p, i) => {
        const err = outcomes[i];
        if (err) p.reject(err);
        else p.resolve();
      });
    } catch (e) {
      for (const p of batch) p.reject(e);
    } finally {
      this.inFlight--;
      this.outstanding -= batch.length;
      if (this.queue.length > 0) this.dispatch();
      if (this.outstanding === 0) for (const fn of this.idle.splice(0)) fn();
    }
  }
}
