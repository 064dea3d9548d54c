import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import type { BatchHandler, Received } from '../../engine/backend.ts';
import { ShardLag } from './lag.ts';

/** Kinesis allows 5 GetRecords calls per second per shard: the default and least cadence. */
export const MIN_POLL_MS = 200;
/** A shard not read for this long may have fallen behind unseen: its lag is unknown. */
const LAG_STALE_MS = 5_000;

/**
 * One poller per shard: reads from the checkpoint (or the start), hands each batch to the
 * engine, and checkpoints only after the handler resolved. Honours GetRecords limits and
 * measures its own lag (kinesis-lag.ts).
 */
export class ShardPoller {
  readonly lag = new ShardLag(Date.now, LAG_STALE_MS);
  private running = true;
  private loop: Promise<void> | undefined;
  private sleeper: { timer: NodeJS.Timeout; wake: () => void } | undefined;

  constructor(
    private readonly client: KinesisClient,
    private readonly stream: string,
    private readonly shardId: string,
    private readonly handler: BatchHandler,
    private readonly checkpoints: Map<string, string>,
    private readonly log: (msg: string, f?: Record<string, unknown>) => void,
    /**
     * startAtMs: records arrived before it are skipped (checkpointed, not handled); a shard
     * without checkpoint is read from that time. `emulator`: kinesalite, whose AT_TIMESTAMP
     * never answers for a shard without newer records, is read from its start instead.
     */
    private readonly opts: {
      pollMs?: number | undefined;
      startAtMs?: number | undefined;
      emulator?: boolean;
    } = {},
  ) {}

  /**
   * Records a call may return: 1,000 at five calls a second, more at a slower cadence, so that
   * the cadence never caps a shard below its 1,000 records/s write limit (10,000 at most).
   */
  private get limit(): number {
    return Math.min(10_000, 1000 * Math.ceil(this.pollMs / MIN_POLL_MS));
  }

  /** The least time from one GetRecords answer to the next call, busy or idle, as KCL's polling consumer. */
  private get pollMs(): number {
    return Math.max(MIN_POLL_MS, this.opts.pollMs ?? MIN_POLL_MS);
  }

  /** Read to its end after a split or merge: nothing more will come from this shard. */
  closed = false;

  start(): void {
    this.loop = this.run();
  }

  /** Resolves when the poller stops: stopped, or its shard closed (`closed`). */
  finished(): Promise<void> {
    return this.loop ?? Promise.resolve();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.sleeper) {
      clearTimeout(this.sleeper.timer);
      this.sleeper.wake();
    }
    await this.loop;
  }

  private async iterator(): Promise<string | undefined> {
    const seq = this.checkpoints.get(this.shardId);
    const r = await this.client.send(
      new GetShardIteratorCommand({
        StreamName: this.stream,
        ShardId: this.shardId,
        ...(seq
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: seq }
          : startIterator(this.opts.startAtMs, this.opts.emulator === true)),
      }),
    );
    return r.ShardIterator;
  }

  private async run(): Promise<void> {
    let it: string | undefined;
    let last = 0;
    while (this.running) {
      try {
        it ??= await this.iterator();
        if (!it) {
          this.log('kinesis shard closed', { shard: this.shardId });
          this.closed = true;
          return;
        }
        await this.sleep(last + this.pollMs - Date.now());
        if (!this.running) return;
        const r = await this.client.send(
          new GetRecordsCommand({ ShardIterator: it, Limit: this.limit }),
        );
        // Counted from the answer, as KCL's idle time between reads: jitter on the way cannot
        // bring two calls closer than the shard's limit allows.
        last = Date.now();
        const read: Received[] = (r.Records ?? []).map((x) => ({
          key: x.PartitionKey ?? '',
          value: Buffer.from(x.Data ?? new Uint8Array()),
          brokerTs: x.ApproximateArrivalTimestamp?.getTime() ?? 0,
          source: `${this.stream}/${this.shardId}@${x.SequenceNumber}`,
        }));
        const from = this.opts.startAtMs;
        const records = from === undefined ? read : read.filter((x) => x.brokerTs >= from);
        const first = records[0];
        this.lag.read(first ? first.brokerTs || Date.now() : undefined, r.MillisBehindLatest);
        if (read.length > 0) {
          if (records.length > 0) await this.handler(records, async () => {});
          this.checkpoints.set(this.shardId, (r.Records ?? []).at(-1)!.SequenceNumber!);
          this.lag.committed(read.at(-1)!.brokerTs);
        }
        it = r.NextShardIterator;
        // No next iterator: a closed shard (split or merged) read to its end.
        if (!it) {
          this.log('kinesis shard closed', { shard: this.shardId });
          this.closed = true;
          return;
        }
      } catch (e) {
        const name = (e as Error).name;
        if (name === 'ExpiredIteratorException') it = undefined;
        else if (this.running) {
          this.log('kinesis poll failed', { shard: this.shardId, error: (e as Error).message });
          // Throttled or unreachable: back off; re-read from the checkpoint, never skip.
          it = undefined;
          await this.sleep(name === 'ProvisionedThroughputExceededException' ? 1000 : 500);
        }
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0 || !this.running) return Promise.resolve();
    return new Promise((wake) => {
      this.sleeper = { timer: setTimeout(wake, ms), wake };
    });
  }
}

/**
 * Where a shard without checkpoint is read from: its start, or the first record arrived at
 * `atMs`. On kinesalite (`emulator`) from its start, the caller skipping older records:
 * its AT_TIMESTAMP leaves the request unanswered while no newer record exists.
 */
export function startIterator(
  atMs: number | undefined,
  emulator: boolean,
): { ShardIteratorType: 'TRIM_HORIZON' } | { ShardIteratorType: 'AT_TIMESTAMP'; Timestamp: Date } {
  return atMs === undefined || emulator
    ? { ShardIteratorType: 'TRIM_HORIZON' }
    : { ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(atMs) };
}
