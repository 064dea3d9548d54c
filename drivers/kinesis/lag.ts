/**
 * How far one Kinesis shard's consumer is behind, measured by the consumer itself: the age in
 * ms of the oldest record it has not yet checkpointed, 0 once a read found nothing more.
 * kinesalite answers MillisBehindLatest 0 for every open shard, so the broker's own figure
 * cannot show a backlog; where the broker does report one (AWS), the larger figure wins.
 */
export class ShardLag {
  /** Arrival time (epoch ms) of the oldest record known not to be checkpointed. */
  private oldest: number | undefined;
  private lastReadAt: number | undefined;

  /** @param staleMs a "caught up" older than this is no longer known (reads keep failing). */
  constructor(
    private readonly now: () => number,
    private readonly staleMs: number,
  ) {}

  /** After a successful GetRecords: the arrival of its first record, if any, and the broker's own figure. */
  read(firstArrival: number | undefined, millisBehindLatest: number | undefined): void {
    const t = this.now();
    this.lastReadAt = t;
    // An empty read with a positive MillisBehindLatest (AWS skipping a gap) is not caught up.
    const broker =
      millisBehindLatest && millisBehindLatest > 0 ? t - millisBehindLatest : undefined;
    const own = firstArrival ?? broker;
    this.oldest = own === undefined ? undefined : Math.min(own, broker ?? own);
  }

  /** After a batch was checkpointed: what remains arrived no earlier than its last record. */
  committed(lastArrival: number): void {
    if (this.oldest !== undefined) this.oldest = Math.max(this.oldest, lastArrival);
  }

  /** ms behind; null before the first read or when "caught up" is too old to trust. */
  value(): number | null {
    if (this.lastReadAt === undefined) return null;
    const t = this.now();
    if (this.oldest !== undefined) return Math.max(0, t - this.oldest);
    return t - this.lastReadAt > this.staleMs ? null : 0;
  }
}
