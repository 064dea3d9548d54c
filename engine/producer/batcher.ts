import type { OutRecord } from '../backend.ts';
import { PublishTimeoutError, ShedError } from '../errors.ts';

export interface BatcherOptions {
  /** Records queued or in flight before new ones are shed (`queue-full`). */
  maxQueue: number;
  /** Records per broker call (Kinesis PutRecords allows 500). */
  maxBatch: number;
  /** How long the first record of a batch waits for company, ms. */
  lingerMs: number;
  /** Broker calls in flight at once. */
  maxInFlight: number;
  /** How long a record may wait for its answer, queueing included, ms. */
  publishTimeoutMs: number;
  /**
   * Design switch `boundedQueue` (default on). Off (the naive design): `maxQueue` and
   * `publishTimeoutMs` are ignored, every record is queued and waits for its broker call.
   */
  boundedQueue?: boolean;
}

/**
 * One broker call: `outcomes` answers the records (it may fail early, on a timeout);
 * `settled` resolves once the broker call itself is over, whatever it answered.
 */
export interface BrokerCall {
  outcomes: Promise<(Error | undefined)[]>;
  settled: Promise<void>;
}

interface Pending {
  record: OutRecord;
  answer: (err?: unknown) => void;
  queued: boolean;
  answered: boolean;
  /** performance.now() by which it must be answered. */
  deadline: number;
}

/**
 * Micro-batching: requests arriving within `lingerMs` share one broker call, and each is
 * settled by its own record's outcome. The queue is bounded; when full we shed instead of
 * growing, and nothing already queued is ever dropped. A record is answered within
 * `publishTimeoutMs` (504 once that passed), but its call keeps its in-flight slot and its
 * records stay in `depth` until the broker call settles: a timed-out write may still land.
 */
export class Batcher {
  private queue: Pending[] = [];
  private calls = 0;
  private outstanding = 0;
  private unanswered = 0;
  private timer: NodeJS.Timeout | undefined;
  private idle: (() => void)[] = [];
  /**
   * Every record not yet answered, in publish order, which is deadline order (one timeout for
   * all): one timer for the head instead of one per record, whose arming and clearing cost
   * more than the rest of a record's way through the batcher. Answered ones leave lazily.
   */
  private deadlines: Pending[] = [];
  private deadlineHead = 0;
  private deadlineTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly send: (records: OutRecord[]) => BrokerCall,
    private readonly opts: BatcherOptions,
  ) {}

  /** Records queued or whose broker call has not settled yet. */
  get depth(): number {
    return this.outstanding;
  }

  /** Broker calls not settled yet (at most `maxInFlight`). */
  get inFlight(): number {
    return this.calls;
  }

  publish(record: OutRecord): Promise<void> {
    const bounded = this.opts.boundedQueue !== false;
    if (bounded && this.outstanding >= this.opts.maxQueue)
      return Promise.reject(new ShedError('queue-full'));
    this.outstanding++;
    this.unanswered++;
    return new Promise<void>((resolve, reject) => {
      const p: Pending = {
        record,
        queued: true,
        answered: false,
        deadline: performance.now() + this.opts.publishTimeoutMs,
        answer: (err) => {
          if (p.answered) return;
          p.answered = true;
          if (err) reject(err);
          else resolve();
          if (--this.unanswered === 0) this.allAnswered();
        },
      };
      // Unbounded, a record has no deadline: it waits for its broker call, however long.
      if (bounded) {
        this.deadlines.push(p);
        this.deadlineTimer ??= setTimeout(() => this.expireDue(), this.opts.publishTimeoutMs);
      }
      this.queue.push(p);
      if (this.queue.length >= this.opts.maxBatch) this.dispatch();
      else this.timer ??= setTimeout(() => this.dispatch(), this.opts.lingerMs);
    });
  }

  /** Resolves once every record published so far has been answered. */
  flush(): Promise<void> {
    this.dispatch();
    if (this.unanswered === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Nothing left to time out: no timer keeps running for answered records. */
  private allAnswered(): void {
    clearTimeout(this.deadlineTimer);
    this.deadlineTimer = undefined;
    this.deadlines = [];
    this.deadlineHead = 0;
    for (const fn of this.idle.splice(0)) fn();
  }

  /** Answers every record past its deadline, then waits for the next one's. */
  private expireDue(): void {
    this.deadlineTimer = undefined;
    const now = performance.now();
    const list = this.deadlines;
    while (this.deadlineHead < list.length) {
      const p = list[this.deadlineHead]!;
      if (!p.answered && p.deadline > now) break;
      this.deadlineHead++;
      if (!p.answered) this.expire(p);
    }
    // Drop the passed part now and then, not on every expiry.
    if (this.deadlineHead > 1024 || this.deadlineHead === list.length) {
      this.deadlines = list.slice(this.deadlineHead);
      this.deadlineHead = 0;
    }
    const next = this.deadlines[this.deadlineHead];
    if (next)
      this.deadlineTimer = setTimeout(
        () => this.expireDue(),
        Math.max(1, Math.ceil(next.deadline - now)),
      );
  }

  /** A record still queued at its deadline never reaches the broker; one in flight may. */
  private expire(p: Pending): void {
    if (p.queued) {
      // Deadlines expire in queue order, so an expired record is at (or near) the head.
      this.queue.splice(this.queue.indexOf(p), 1);
      p.queued = false;
      this.outstanding--;
      p.answer(new PublishTimeoutError(this.opts.publishTimeoutMs, { sent: false }));
      return;
    }
    p.answer(new PublishTimeoutError(this.opts.publishTimeoutMs));
  }

  private dispatch(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length > 0 && this.calls < this.opts.maxInFlight) {
      const batch = this.queue.splice(0, this.opts.maxBatch);
      for (const p of batch) p.queued = false;
      this.calls++;
      void this.run(batch);
    }
    if (this.queue.length > 0) this.timer ??= setTimeout(() => this.dispatch(), this.opts.lingerMs);
  }

  private async run(batch: Pending[]): Promise<void> {
    const call = this.send(batch.map((p) => p.record));
    call.outcomes.then(
      (outcomes) => {
        batch.forEach((p, i) => {
          p.answer(outcomes[i]);
        });
      },
      (e) => {
        for (const p of batch) p.answer(e);
      },
    );
    await call.settled;
    this.calls--;
    this.outstanding -= batch.length;
    if (this.queue.length > 0) this.dispatch();
  }
}
