/**
 * The quota logic, apart from HTTP: per-shard limits (window.ts) and AWS's per-call limits
 * in front of a Kinesis API. Over-quota PutRecords entries fail one by one with
 * ProvisionedThroughputExceededException (FailedRecordCount counts them), as AWS answers;
 * PutRecord, GetRecords and GetShardIterator answer 400; control-plane calls over AWS's
 * published limits (limits.ts) answer LimitExceededException. What the layer cannot place (an
 * unknown stream or iterator) is refused, never let through unmetered. In `lie` mode it
 * acknowledges a share of the written records and drops them. The service model (model.ts)
 * adds per-operation latency, shared reads, burst and on-demand capacity.
 */
import type { Registry } from 'prom-client';
import {
  type ControlOp,
  LOOPBACK_MODEL,
  type ServiceModel,
} from '../../../contract/service-model.ts';
import {
  type Answer,
  controlRefused,
  noShard,
  Refusal,
  throttledAnswer,
  throttledEntry,
  unknownIterator,
} from './answers.ts';
import { LatencySampler } from './latency.ts';
import { Liar } from './lie.ts';
import { CALL_LIMITS, CONTROL_LIMITS, type QuotaMode, ShardBuckets } from './limits.ts';
import { QuotaMetrics } from './metrics.ts';
import { ObservedService } from './observed.ts';
import { OnDemandStream } from './on-demand.ts';
import { checkSizes, type PutEntry, sizeOf } from './records.ts';
import { hashKey, type KinesisCall, ShardLookupError, ShardMap, streamNameOf } from './shards.ts';
import { type Limit, perSecond } from './window.ts';

export type { Answer } from './answers.ts';

/** Operations that change a stream's shards: forget its cached shard list. */
const RESHARDING = new Set([
  'SplitShard',
  'MergeShards',
  'UpdateShardCount',
  'DeleteStream',
  'CreateStream',
]);
const MAX_ITERATORS = 100_000;
const MAX_PUT_RECORDS = 500;

type Json = Record<string, unknown>;
export class QuotaLayer {
  private setting: QuotaMode;
  private buckets = new Map<string, ShardBuckets>();
  private serviceModel: ServiceModel = LOOPBACK_MODEL;
  private sampler = new LatencySampler({}, 1);
  private onDemand = new Map<string, OnDemandStream>();
  /** Control-plane calls, by operation (account-wide) or `operation stream`. */
  private control = new Map<string, Limit>();
  /** What the model delivered: per-op latency and propagation (observed.ts). */
  readonly observed = new ObservedService();
  /** Shard iterator -> `stream/shard`, learnt from GetShardIterator and GetRecords answers. */
  private readonly iterators = new Map<string, string>();
  private readonly shards: ShardMap;
  private readonly metrics: QuotaMetrics;
  private readonly liar = new Liar();
  private readonly now: () => number;

  constructor(opts: {
    mode: QuotaMode;
    registry: Registry;
    now?: () => number;
    shardTtlMs?: number;
  }) {
    this.setting = { ...opts.mode };
    this.now = opts.now ?? Date.now;
    this.shards = new ShardMap(opts.shardTtlMs, this.now);
    this.metrics = new QuotaMetrics(opts.registry, () => this.setting);
  }

  mode(): QuotaMode {
    return { ...this.setting };
  }

  /**
   * Switches mode; the new limits count what the old ones admitted in the last second, so no
   * one-second window across the switch admits more than the limit. Answers the previous mode.
   */
  setMode(mode: QuotaMode): QuotaMode {
    const previous = this.mode();
    this.setting = { ...mode };
    this.carryLimits();
    return previous;
  }

  model(): ServiceModel {
    return structuredClone(this.serviceModel);
  }

  /**
   * Sets the service model; limits carry what was admitted (as `setMode`), measurements
   * restart. Answers the previous model.
   */
  setModel(model: ServiceModel): ServiceModel {
    const previous = this.model();
    const capacityMode = this.serviceModel.capacity.mode;
    this.serviceModel = structuredClone(model);
    this.sampler = new LatencySampler(model.latency, model.seed);
    // Another capacity mode meters other things (a shard's writes, a stream's allowance).
    if (model.capacity.mode !== capacityMode) this.onDemand = new Map();
    this.carryLimits();
    this.observed.reset();
    return previous;
  }

  /** Rebuilds every limit at the current mode and model from what it admitted so far. */
  private carryLimits(): void {
    const now = this.now();
    const { multiplier } = this.setting;
    const model = this.serviceModel;
    this.buckets = new Map(
      [...this.buckets].map(([k, b]) => [k, new ShardBuckets(multiplier, now, model, b)]),
    );
    const capacity = model.capacity;
    this.onDemand =
      capacity.mode === 'on-demand'
        ? new Map(
            [...this.onDemand].map(([k, s]) => [
              k,
              new OnDemandStream(
                capacity,
                multiplier * model.capacityScale,
                model.burstSeconds,
                now,
                s,
              ),
            ]),
          )
        : new Map();
    this.control = new Map([...this.control].map(([k, l]) => [k, this.controlLimit(k, now, l)]));
  }

  /** The model's delay (ms) for one call of `op`. */
  delayFor(op: string): number {
    return this.sampler.sample(op);
  }

  /** Answers the call, or 'pass' to forward the request untouched. */
  async handle(op: string, body: Json, call: KinesisCall): Promise<Answer | 'pass'> {
    const stream = streamNameOf(body);
    if (RESHARDING.has(op)) this.shards.forget(stream);
    try {
      if (op === 'GetShardIterator') return await this.getShardIterator(stream, body, call);
      if (op === 'GetRecords') return await this.getRecords(body, call);
      if (this.setting.mode === 'on' && isControlOp(op) && !this.admitControl(op, stream)) {
        this.metrics.throttled.inc({ op, stream: stream ?? '' });
        return controlRefused(op, stream);
      }
      if (this.setting.mode === 'off' || !stream) return 'pass';
      if (op === 'PutRecords') return await this.putRecords(stream, body, call);
      if (op === 'PutRecord') return await this.putRecord(stream, body as never, call);
      return 'pass';
    } catch (err) {
      if (err instanceof Refusal) return err.answer;
      if (err instanceof ShardLookupError) return err.answer;
      throw err;
    }
  }

  private async putRecord(stream: string, body: PutEntry, call: KinesisCall): Promise<Answer> {
    const shard = await this.shardOf(stream, body, call);
    if (this.setting.mode === 'lie' && this.liar.drops(this.setting.share ?? 1)) {
      this.metrics.lied.inc({ op: 'PutRecord', stream });
      return { status: 200, json: this.liar.fabricate(stream, shard) };
    }
    if (this.setting.mode === 'on') {
      checkSizes([body]);
      if (!this.admitWrite(stream, shard, body, this.now())) {
        this.metrics.throttled.inc({ op: 'PutRecord', stream });
        return throttledAnswer(stream, shard);
      }
      this.metrics.passed.inc({ op: 'PutRecord', stream });
    }
    const res = await call('PutRecord', body);
    const json = res.json as Json;
    if (res.status === 200) this.liar.saw(stream, json.ShardId, json.SequenceNumber);
    return res;
  }

  private async putRecords(stream: string, body: Json, call: KinesisCall): Promise<Answer> {
    const records = Array.isArray(body.Records) ? (body.Records as PutEntry[]) : [];
    // Upstream's own validation answers a request of no or too many records.
    if (records.length === 0 || records.length > MAX_PUT_RECORDS) return call('PutRecords', body);
    const on = this.setting.mode === 'on';
    if (on) checkSizes(records);
    const now = this.now();
    const admitted: number[] = [];
    const answered = new Map<number, Json>();
    for (const [i, r] of records.entries()) {
      const shard = await this.shardOf(stream, r, call);
      if (this.setting.mode === 'lie' && this.liar.drops(this.setting.share ?? 1)) {
        answered.set(i, this.liar.fabricate(stream, shard));
      } else if (!on || this.admitWrite(stream, shard, r, now)) {
        admitted.push(i);
      } else {
        answered.set(i, throttledEntry(stream, shard));
      }
    }
    const refused = [...answered.values()].filter((e) => 'ErrorCode' in e).length;
    const op = 'PutRecords';
    if (refused > 0) this.metrics.throttled.inc({ op, stream }, refused);
    if (answered.size > refused) this.metrics.lied.inc({ op, stream }, answered.size - refused);
    if (on && admitted.length > 0) this.metrics.passed.inc({ op, stream }, admitted.length);
    let upstream: Json[] = [];
    let extra: Json = {};
    if (admitted.length > 0) {
      const res = await call(op, { ...body, Records: admitted.map((i) => records[i]) });
      if (res.status !== 200) return res;
      const { Records, FailedRecordCount: _f, ...rest } = res.json as Json;
      upstream = Records as Json[];
      extra = rest;
      for (const e of upstream) this.liar.saw(stream, e.ShardId, e.SequenceNumber);
    }
    let failed = 0;
    let next = 0;
    const out = records.map((_r, i) => {
      const entry = answered.get(i) ?? upstream[next++]!;
      if ('ErrorCode' in entry) failed++;
      return entry;
    });
    return { status: 200, json: { ...extra, FailedRecordCount: failed, Records: out } };
  }

  private async getShardIterator(
    stream: string | undefined,
    body: Json,
    call: KinesisCall,
  ): Promise<Answer> {
    const shard = body.ShardId;
    if (this.setting.mode === 'on' && stream && typeof shard === 'string') {
      if (!this.bucketsFor(stream, shard).iteratorCalls.take(1, this.now())) {
        this.metrics.throttled.inc({ op: 'GetShardIterator', stream });
        return throttledAnswer(stream, shard);
      }
    }
    const res = await call('GetShardIterator', body);
    const it = (res.json as { ShardIterator?: string } | undefined)?.ShardIterator;
    if (res.status === 200 && it && stream && typeof shard === 'string') {
      this.remember(it, `${stream}/${shard}`);
    }
    return res;
  }

  private async getRecords(body: Json, call: KinesisCall): Promise<Answer> {
    const on = this.setting.mode === 'on';
    const where = this.iterators.get(String(body.ShardIterator));
    if (!where) return on ? unknownIterator() : call('GetRecords', body);
    const [stream, shard] = splitOnce(where);
    const buckets = this.bucketsFor(stream, shard);
    if (on) {
      if (!buckets.admitRead(this.now())) {
        this.metrics.throttled.inc({ op: 'GetRecords', stream });
        return throttledAnswer(stream, shard);
      }
      this.metrics.passed.inc({ op: 'GetRecords', stream });
    }
    const res = await call('GetRecords', body);
    if (res.status !== 200) return res;
    const json = res.json as { Records?: PutEntry[]; NextShardIterator?: string };
    if (on) {
      await this.capResponse(json, stream, shard, call);
      const bytes = (json.Records ?? []).reduce((n, r) => n + sizeOf(r), 0);
      buckets.readBytes.charge(bytes, this.now());
    }
    if (json.NextShardIterator) this.remember(json.NextShardIterator, where);
    return res;
  }

  /** At most 10 MiB a call: the rest is read by the next call, from after the last record kept. */
  private async capResponse(
    json: { Records?: PutEntry[]; NextShardIterator?: string },
    stream: string,
    shard: string,
    call: KinesisCall,
  ): Promise<void> {
    const records = json.Records ?? [];
    let bytes = 0;
    let keep = 0;
    while (keep < records.length && bytes + sizeOf(records[keep]!) <= CALL_LIMITS.getRecordsBytes)
      bytes += sizeOf(records[keep++]!);
    if (keep === records.length) return;
    json.Records = records.slice(0, keep);
    const after = await call('GetShardIterator', {
      StreamName: stream,
      ShardId: shard,
      ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
      StartingSequenceNumber: records[keep - 1]!.SequenceNumber,
    });
    if (after.status !== 200) throw new Refusal(after);
    json.NextShardIterator = (after.json as { ShardIterator: string }).ShardIterator;
  }

  private async shardOf(stream: string, r: PutEntry, call: KinesisCall): Promise<string> {
    const key = hashKey(String(r.PartitionKey ?? ''), r.ExplicitHashKey);
    const shard = await this.shards.shardFor(stream, key, call);
    if (!shard) throw new Refusal(noShard(stream, key));
    return shard;
  }

  private remember(iterator: string, where: string): void {
    if (this.iterators.size >= MAX_ITERATORS) {
      this.iterators.delete(this.iterators.keys().next().value!);
    }
    this.iterators.set(iterator, where);
  }

  /** Provisioned: the shard's write limits; on-demand: the stream's allowance and the key's cap. */
  private admitWrite(stream: string, shard: string, r: PutEntry, now: number): boolean {
    const capacity = this.serviceModel.capacity;
    if (capacity.mode === 'provisioned')
      return this.bucketsFor(stream, shard).admitWrite(sizeOf(r), now);
    let s = this.onDemand.get(stream);
    if (!s) {
      s = new OnDemandStream(
        capacity,
        this.setting.multiplier * this.serviceModel.capacityScale,
        this.serviceModel.burstSeconds,
        now,
      );
      // A stream provisioned until now: what its shards admitted in the last second counts.
      const shards = [...this.buckets].filter(([k]) => splitOnce(k)[0] === stream);
      s.carryWrites(
        shards.map(([, b]) => ({ records: b.writeRecords, bytes: b.writeBytes })),
        now,
      );
      this.onDemand.set(stream, s);
    }
    const bytes = sizeOf(r);
    if (s.admitWrite(String(r.PartitionKey ?? ''), bytes, now) !== 'ok') return false;
    // The shard's windows see every write, so that a switch to provisioned capacity counts it.
    const b = this.bucketsFor(stream, shard);
    b.writeRecords.charge(1, now);
    b.writeBytes.charge(bytes, now);
    return true;
  }

  /** One control-plane call of `op`, against the account's or the stream's limit. */
  private admitControl(op: ControlOp, stream: string | undefined): boolean {
    const key = this.controlOf(op).per === 'stream' ? `${op} ${stream ?? ''}` : op;
    const now = this.now();
    let limit = this.control.get(key);
    if (!limit) {
      limit = this.controlLimit(key, now);
      this.control.set(key, limit);
    }
    return limit.take(1, now);
  }

  private controlLimit(key: string, now: number, earlier?: Limit): Limit {
    const { perS } = this.controlOf(key.split(' ')[0] as ControlOp);
    return perSecond(perS * this.setting.multiplier, 0, now, earlier);
  }

  /** The model's limit on `op`, else AWS's published one. */
  private controlOf(op: ControlOp) {
    return this.serviceModel.controlPlane[op] ?? CONTROL_LIMITS[op];
  }

  /** The on-demand allowance of `stream` in force, when the model is on-demand. */
  allowanceOf(stream: string) {
    return this.onDemand.get(stream)?.allowance();
  }

  private bucketsFor(stream: string, shard: string): ShardBuckets {
    const key = `${stream}/${shard}`;
    let b = this.buckets.get(key);
    if (!b) {
      b = new ShardBuckets(this.setting.multiplier, this.now(), this.serviceModel);
      this.buckets.set(key, b);
    }
    return b;
  }
}

function isControlOp(op: string): op is ControlOp {
  return op in CONTROL_LIMITS;
}

function splitOnce(s: string): [string, string] {
  const i = s.lastIndexOf('/');
  return [s.slice(0, i), s.slice(i + 1)];
}
