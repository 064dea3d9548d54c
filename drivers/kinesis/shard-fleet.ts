/**
 * The pollers of one stream, following resharding: every open shard is read, and a child of
 * a split or merge only once its parents were read to their end (so that a key's records
 * stay in order across the change). The shard list is read again every few seconds and
 * whenever a shard closes.
 */
import { type KinesisClient, ListShardsCommand, type Shard } from '@aws-sdk/client-kinesis';
import type { ShardPoller } from './shard-poller.ts';

const REFRESH_MS = 5_000;

export class ShardFleet {
  private readonly pollers = new Map<string, ShardPoller>();
  /** Shards closed and read to their end. */
  private readonly done = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private running = true;

  constructor(
    private readonly client: KinesisClient,
    private readonly stream: string,
    private readonly poller: (shardId: string) => ShardPoller,
    private readonly log: (msg: string, f?: Record<string, unknown>) => void,
    private readonly refreshMs = REFRESH_MS,
  ) {}

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => this.refreshSoon(), this.refreshMs);
    this.timer.unref();
  }

  /** The largest lag over the shards still read; null when one of them is unknown. */
  lag(): number | null {
    const each = [...this.pollers]
      .filter(([id]) => !this.done.has(id))
      .map(([, p]) => p.lag.value());
    return each.includes(null) ? null : Math.max(0, ...(each as number[]));
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.timer);
    await this.refreshing;
    await Promise.all([...this.pollers.values()].map((p) => p.stop()));
  }

  private refreshSoon(): void {
    this.refreshing ??= this.refresh()
      .catch((e) => this.log('kinesis shard list failed', { error: (e as Error).message }))
      .finally(() => {
        this.refreshing = undefined;
      });
  }

  private async refresh(): Promise<void> {
    const shards = await this.list();
    const known = new Set(shards.map((s) => s.ShardId!));
    for (const s of shards) {
      const id = s.ShardId!;
      if (!this.running || this.pollers.has(id)) continue;
      const parents = [s.ParentShardId, s.AdjacentParentShardId].filter(
        (p): p is string => p !== undefined && known.has(p),
      );
      if (parents.some((p) => !this.done.has(p))) continue;
      const p = this.poller(id);
      this.pollers.set(id, p);
      p.start();
      void p.finished().then(() => {
        if (!p.closed) return;
        this.done.add(id);
        if (this.running) this.refreshSoon();
      });
    }
  }

  private async list(): Promise<Shard[]> {
    const out: Shard[] = [];
    let token: string | undefined;
    do {
      const r = await this.client.send(
        new ListShardsCommand(token ? { NextToken: token } : { StreamName: this.stream }),
      );
      out.push(...(r.Shards ?? []));
      token = r.NextToken;
    } while (token);
    return out;
  }
}
