/**
 * The quota logic, apart from HTTP: per-shard token buckets in front of a Kinesis API.
 * Over-quota PutRecords entries fail one by one with ProvisionedThroughputExceededException
 * (FailedRecordCount counts them), as AWS answers; PutRecord and GetRecords answer 400.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { type QuotaMode, ShardBuckets } from './limits.ts';
import { hashKey, type KinesisCall, ShardMap, streamNameOf } from './shards.ts';

export interface Answer {
  status: number;
  json: unknown;
}

const THROTTLED = 'ProvisionedThroughputExceededException';
const ACCOUNT = '000000000000';
/** Operations that change a stream's shards: forget its cached shard list. */
const RESHARDING = new Set([
  'SplitShard',
  'MergeShards',
  'UpdateShardCount',
  'DeleteStream',
  'CreateStream',
]);
const MAX_ITERATORS = 100_000;

type Json = Record<string, unknown>;
interface PutEntry {
  Data: string;
  PartitionKey: string;
  ExplicitHashKey?: string;
}

export class QuotaLayer {
  private setting: QuotaMode;
  private buckets = new Map<string, ShardBuckets>();
  /** Shard iterator -> `stream/shard`, learnt from GetShardIterator and GetRecords answers. */
  private readonly iterators = new Map<string, string>();
  private readonly shards: ShardMap;
  private readonly throttled: Counter<'op' | 'stream'>;
  private readonly passed: Counter<'op' | 'stream'>;

  constructor(opts: {
    mode: QuotaMode;
    registry: Registry;
    now?: () => number;
    shardTtlMs?: number;
  }) {
    this.setting = opts.mode;
    this.now = opts.now ?? Date.now;
    this.shards = new ShardMap(opts.shardTtlMs, this.now);
    const registers = [opts.registry];
    this.throttled = new Counter({
      name: 'hunt_kinesis_quota_throttled_records_total',
      help: 'Records (PutRecords entries, PutRecord and GetRecords calls) refused as over quota',
      labelNames: ['op', 'stream'],
      registers,
    });
    this.passed = new Counter({
      name: 'hunt_kinesis_quota_passed_records_total',
      help: 'Records and calls let through while quotas were on',
      labelNames: ['op', 'stream'],
      registers,
    });
    const layer = this;
    new Gauge({
      name: 'hunt_kinesis_quota_multiplier',
      help: 'Multiplier on AWS per-shard limits in force; 0 when quotas are off',
      registers,
      collect() {
        this.set(layer.setting.mode === 'on' ? layer.setting.multiplier : 0);
      },
    });
  }

  private readonly now: () => number;

  mode(): QuotaMode {
    return { ...this.setting };
  }

  /** Switches mode; buckets start full at the new limits. Answers the previous mode. */
  setMode(mode: QuotaMode): QuotaMode {
    const previous = this.mode();
    this.setting = { ...mode };
    this.buckets = new Map();
    return previous;
  }

  /** Answers the call, or 'pass' to forward the request untouched. */
  async handle(op: string, body: Json, call: KinesisCall): Promise<Answer | 'pass'> {
    const stream = streamNameOf(body);
    if (RESHARDING.has(op)) this.shards.forget(stream);
    const on = this.setting.mode === 'on';
    if (op === 'GetShardIterator') return this.track(await call(op, body), stream, body.ShardId);
    if (op === 'GetRecords') return this.getRecords(body, call);
    if (!on || !stream) return 'pass';
    if (op === 'PutRecords') return this.putRecords(stream, body, call);
    if (op === 'PutRecord') {
      const shard = await this.shards.shardFor(stream, keyOf(body as never), call);
      if (shard && !this.bucketsFor(stream, shard).admitWrite(sizeOf(body as never), this.now())) {
        this.throttled.inc({ op, stream });
        return throttledAnswer(stream, shard);
      }
      this.passed.inc({ op, stream });
      return call(op, body);
    }
    return 'pass';
  }

  private async putRecords(stream: string, body: Json, call: KinesisCall): Promise<Answer> {
    const records = Array.isArray(body.Records) ? (body.Records as PutEntry[]) : [];
    const now = this.now();
    const admitted: number[] = [];
    const refused = new Map<number, string>();
    for (const [i, r] of records.entries()) {
      const shard = await this.shards.shardFor(stream, keyOf(r), call);
      if (!shard || this.bucketsFor(stream, shard).admitWrite(sizeOf(r), now)) admitted.push(i);
      else refused.set(i, shard);
    }
    if (refused.size > 0) this.throttled.inc({ op: 'PutRecords', stream }, refused.size);
    if (admitted.length > 0) this.passed.inc({ op: 'PutRecords', stream }, admitted.length);
    let upstream: Json[] = [];
    let extra: Json = {};
    if (admitted.length > 0) {
      const res = await call('PutRecords', { ...body, Records: admitted.map((i) => records[i]) });
      if (res.status !== 200) return res;
      const { Records, FailedRecordCount: _f, ...rest } = res.json as Json;
      upstream = Records as Json[];
      extra = rest;
    }
    let failed = 0;
    let next = 0;
    const out = records.map((_r, i) => {
      const shard = refused.get(i);
      const entry = shard === undefined ? upstream[next++]! : throttledEntry(stream, shard);
      if ('ErrorCode' in entry) failed++;
      return entry;
    });
    return { status: 200, json: { ...extra, FailedRecordCount: failed, Records: out } };
  }

  private async getRecords(body: Json, call: KinesisCall): Promise<Answer> {
    const where = this.iterators.get(String(body.ShardIterator));
    const [stream, shard] = where ? splitOnce(where) : [undefined, undefined];
    const buckets = stream && shard ? this.bucketsFor(stream, shard) : undefined;
    if (this.setting.mode === 'on' && buckets && stream && shard) {
      if (!buckets.admitRead(this.now())) {
        this.throttled.inc({ op: 'GetRecords', stream });
        return throttledAnswer(stream, shard);
      }
      this.passed.inc({ op: 'GetRecords', stream });
    }
    const res = await call('GetRecords', body);
    if (res.status !== 200) return res;
    const json = res.json as { Records?: PutEntry[]; NextShardIterator?: string };
    if (this.setting.mode === 'on' && buckets) {
      const bytes = (json.Records ?? []).reduce((n, r) => n + sizeOf(r), 0);
      buckets.readBytes.charge(bytes, this.now());
    }
    if (where && json.NextShardIterator) this.remember(json.NextShardIterator, where);
    return res;
  }

  private track(res: Answer, stream: string | undefined, shard: unknown): Answer {
    const it = (res.json as { ShardIterator?: string } | undefined)?.ShardIterator;
    if (res.status === 200 && it && stream && typeof shard === 'string') {
      this.remember(it, `${stream}/${shard}`);
    }
    return res;
  }

  private remember(iterator: string, where: string): void {
    if (this.iterators.size >= MAX_ITERATORS) {
      this.iterators.delete(this.iterators.keys().next().value!);
    }
    this.iterators.set(iterator, where);
  }

  private bucketsFor(stream: string, shard: string): ShardBuckets {
    const key = `${stream}/${shard}`;
    let b = this.buckets.get(key);
    if (!b) {
      b = new ShardBuckets(this.setting.multiplier, this.now());
      this.buckets.set(key, b);
    }
    return b;
  }
}

function keyOf(r: PutEntry): bigint {
  return hashKey(String(r.PartitionKey ?? ''), r.ExplicitHashKey);
}

/** What AWS counts against a shard: the data blob plus the partition key. */
function sizeOf(r: PutEntry): number {
  return (
    Buffer.byteLength(String(r.Data ?? ''), 'base64') +
    Buffer.byteLength(String(r.PartitionKey ?? ''))
  );
}

function splitOnce(s: string): [string, string] {
  const i = s.lastIndexOf('/');
  return [s.slice(0, i), s.slice(i + 1)];
}

function message(stream: string, shard: string): string {
  return `Rate exceeded for shard ${shard} in stream ${stream} under account ${ACCOUNT}.`;
}

function throttledEntry(stream: string, shard: string): Json {
  return { ErrorCode: THROTTLED, ErrorMessage: message(stream, shard) };
}

export function throttledAnswer(stream: string, shard: string): Answer {
  return { status: 400, json: { __type: THROTTLED, message: message(stream, shard) } };
}
