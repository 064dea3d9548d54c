/**
 * The engine's counts as plain numbers: the hot path only increments fields, and the
 * Prometheus metrics and /status read them when asked.
 */
export class Counters {
  /** Answered 202 after the broker's ack. */
  accepted = 0;
  /** Records the broker acknowledged (main topic). */
  published = 0;
  /** Records received by the consumer, redeliveries included. */
  consumed = 0;
  /** Applied to the read model, or written to the DLQ. */
  delivered = 0;
  applied = 0;
  /** Dead-lettered events that came back (hunt dlq redrive) and were applied. */
  redriven = 0;
  duplicates = 0;
  /** Partitions / shards a poison event blocks (no DLQ, design switch `dlq` off). */
  blockedPartitions = 0;
  readonly dlq = new Tally();
  readonly shed = new Tally();
  /** 4xx answers by error code. */
  readonly rejected = new Tally();
  /** 5xx answers that were not sheds (publish timeouts, broker errors), by code. */
  readonly failed = new Tally();

  /** Accepted events not yet delivered: the engine's own view of the backlog. */
  get backlog(): number {
    return Math.max(0, this.accepted - this.delivered);
  }
}

export class Tally {
  total = 0;
  readonly byReason: Record<string, number> = {};

  add(reason: string, n = 1): void {
    this.total += n;
    this.byReason[reason] = (this.byReason[reason] ?? 0) + n;
  }

  toJSON(): { total: number; byReason: Record<string, number> } {
    return { total: this.total, byReason: { ...this.byReason } };
  }
}
