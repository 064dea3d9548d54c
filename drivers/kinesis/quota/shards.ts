/**
 * Which shard a record goes to, as Kinesis decides it: the MD5 of the partition key (or the
 * explicit hash key) as a 128-bit number, within one open shard's hash-key range. Shard lists
 * come from the upstream's DescribeStream and are cached briefly.
 */
import { createHash } from 'node:crypto';

export interface ShardRange {
  shardId: string;
  start: bigint;
  end: bigint;
}

export function hashKey(partitionKey: string, explicitHashKey?: string): bigint {
  if (explicitHashKey !== undefined) return BigInt(explicitHashKey);
  return BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
}

export function findShard(shards: ShardRange[], key: bigint): string | undefined {
  return shards.find((s) => key >= s.start && key <= s.end)?.shardId;
}

/** `arn:aws:kinesis:region:account:stream/NAME` or a plain name -> NAME. */
export function streamNameOf(body: {
  StreamName?: unknown;
  StreamARN?: unknown;
}): string | undefined {
  if (typeof body.StreamName === 'string') return body.StreamName;
  if (typeof body.StreamARN === 'string') return body.StreamARN.split('/').pop();
  return undefined;
}

/** Calls the upstream Kinesis API (operation, JSON body) and answers the parsed JSON. */
export type KinesisCall = (op: string, body: object) => Promise<{ status: number; json: unknown }>;

interface DescribeStreamOutput {
  StreamDescription: {
    HasMoreShards: boolean;
    Shards: {
      ShardId: string;
      HashKeyRange: { StartingHashKey: string; EndingHashKey: string };
      SequenceNumberRange: { EndingSequenceNumber?: string };
    }[];
  };
}

/** DescribeStream did not answer: the upstream's own answer (e.g. ResourceNotFoundException). */
export class ShardLookupError extends Error {
  override name = 'ShardLookupError';
  constructor(readonly answer: { status: number; json: unknown }) {
    super(`DescribeStream answered ${answer.status}`);
  }
}

export class ShardMap {
  private readonly cache = new Map<string, { at: number; shards: ShardRange[] }>();

  constructor(
    private readonly ttlMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The open shard for `key`, looking the stream up again once if the cache has no match.
   * Throws ShardLookupError when the stream cannot be described.
   */
  async shardFor(stream: string, key: bigint, call: KinesisCall): Promise<string | undefined> {
    const hit = findShard(await this.shards(stream, call), key);
    if (hit) return hit;
    this.cache.delete(stream);
    return findShard(await this.shards(stream, call), key);
  }

  async shards(stream: string, call: KinesisCall): Promise<ShardRange[]> {
    const cached = this.cache.get(stream);
    if (cached && this.now() - cached.at < this.ttlMs) return cached.shards;
    const shards: ShardRange[] = [];
    let start: string | undefined;
    for (;;) {
      const body: Record<string, string> = { StreamName: stream };
      if (start) body.ExclusiveStartShardId = start;
      const res = await call('DescribeStream', body);
      if (res.status !== 200) throw new ShardLookupError(res);
      const d = (res.json as DescribeStreamOutput).StreamDescription;
      for (const s of d.Shards) {
        if (s.SequenceNumberRange.EndingSequenceNumber !== undefined) continue; // closed
        shards.push({
          shardId: s.ShardId,
          start: BigInt(s.HashKeyRange.StartingHashKey),
          end: BigInt(s.HashKeyRange.EndingHashKey),
        });
      }
      start = d.Shards.at(-1)?.ShardId;
      if (!d.HasMoreShards || !start) break;
    }
    this.cache.set(stream, { at: this.now(), shards });
    return shards;
  }

  forget(stream?: string): void {
    if (stream === undefined) this.cache.clear();
    else this.cache.delete(stream);
  }
}
