/**
 * The quota layer's contract: no one-second window admits more than the limit in force, across
 * an on-demand scale-up, a mode or model change, at fractional multipliers, for every key in use,
 * and for control-plane calls. A frozen clock and a stand-in upstream: exact arithmetic.
 */
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { type OnDemand, parseServiceModel } from '../../../contract/service-model.ts';
import type { Answer } from './answers.ts';
import { QuotaLayer } from './layer.ts';
import { MiB, parseQuotaMode } from './limits.ts';
import { OnDemandStream } from './on-demand.ts';
import type { KinesisCall } from './shards.ts';

const ONE_SHARD = {
  StreamDescription: {
    HasMoreShards: false,
    Shards: [
      {
        ShardId: 'shardId-000000000000',
        HashKeyRange: { StartingHashKey: '0', EndingHashKey: String(2n ** 128n - 1n) },
        SequenceNumberRange: { StartingSequenceNumber: '1' },
      },
    ],
  },
};

/** A one-shard stream upstream that accepts everything it is sent. */
const upstream: KinesisCall = async (op, body) => {
  const b = body as { Records?: unknown[] };
  if (op === 'DescribeStream') return { status: 200, json: ONE_SHARD };
  if (op === 'PutRecords') {
    const Records = (b.Records ?? []).map((_, i) => ({
      SequenceNumber: String(i + 1),
      ShardId: 'shardId-000000000000',
    }));
    return { status: 200, json: { FailedRecordCount: 0, Records } };
  }
  if (op === 'GetShardIterator') return { status: 200, json: { ShardIterator: 'it' } };
  if (op === 'GetRecords') return { status: 200, json: { Records: [], NextShardIterator: 'it' } };
  return { status: 200, json: {} };
};

function layerAt(mode: string) {
  const clock = { t: 1_000_000 };
  const layer = new QuotaLayer({
    mode: parseQuotaMode(mode),
    registry: new Registry(),
    now: () => clock.t,
    shardTtlMs: 3_600_000,
  });
  let key = 0;
  /** Records of 10 bytes under fresh keys, 500 a call; answers how many the layer admitted. */
  const put = async (n: number): Promise<number> => {
    let ok = 0;
    for (let left = n; left > 0; left -= 500) {
      const Records = Array.from({ length: Math.min(500, left) }, () => ({
        Data: 'AAAA',
        PartitionKey: `k${key++}`,
      }));
      const res = (await layer.handle(
        'PutRecords',
        { StreamName: 's', Records },
        upstream,
      )) as Answer;
      ok += Records.length - (res.json as { FailedRecordCount: number }).FailedRecordCount;
    }
    return ok;
  };
  const call = async (op: string, body: object = { StreamName: 's' }) => {
    const res = await layer.handle(op, body as Record<string, unknown>, upstream);
    return res === 'pass' ? 200 : res.status;
  };
  return { layer, clock, put, call };
}

const onDemand = (o: Partial<OnDemand> = {}): OnDemand => ({
  mode: 'on-demand',
  recordsPerS: 100,
  bytesPerS: 100 * MiB,
  previousPeakRecordsPerS: 0,
  previousPeakBytesPerS: 0,
  scaleAfterMs: 500,
  keyRecordsPerS: 1000,
  keyBytesPerS: MiB,
  ...o,
});

describe('any one-second window, across a change of limit', () => {
  it('a new multiplier counts what the old one admitted in the last second', async () => {
    const { layer, clock, put } = layerAt('on');
    expect(await put(1000)).toBe(1000);
    clock.t += 500;
    layer.setMode(parseQuotaMode('x2'));
    // The window ending now holds the 1,000 of half a second ago: 1,000 more, not 2,000.
    expect(await put(2000)).toBe(1000);
    clock.t += 501;
    // The first 1,000 left the window; the 1,000 of 501 ms ago are still in it.
    expect(await put(2000)).toBe(1000);
  });

  it('a lower multiplier refuses until what was admitted leaves the window', async () => {
    const { layer, clock, put } = layerAt('on');
    expect(await put(1000)).toBe(1000);
    clock.t += 100;
    layer.setMode(parseQuotaMode('0.5'));
    expect(await put(10)).toBe(0);
    clock.t += 900;
    expect(await put(600)).toBe(500);
  });

  it('a new service model counts what the old one admitted', async () => {
    const { layer, clock, put } = layerAt('on');
    expect(await put(1000)).toBe(1000);
    clock.t += 300;
    layer.setModel(parseServiceModel({ seed: 7 }));
    expect(await put(100)).toBe(0);
    clock.t += 700;
    expect(await put(100)).toBe(100);
  });

  it('an on-demand scale-up counts what the smaller allowance admitted', async () => {
    const { layer, clock, put } = layerAt('on');
    layer.setModel(parseServiceModel({ capacity: onDemand() }));
    expect(await put(100)).toBe(100);
    clock.t += 400;
    expect(await put(10)).toBe(0); // throttled: the scale-up clock starts
    clock.t += 500;
    expect(await put(300)).toBe(100); // 200/s now, 100 of them taken 900 ms ago
    expect(layer.allowanceOf('s')?.recordsPerS).toBe(200);
  });

  it('an on-demand stream keeps its window across a mode change', async () => {
    const { layer, clock, put } = layerAt('on');
    layer.setModel(parseServiceModel({ capacity: onDemand({ scaleAfterMs: 60_000 }) }));
    expect(await put(100)).toBe(100);
    clock.t += 200;
    layer.setMode(parseQuotaMode('x3'));
    expect(await put(300)).toBe(200);
  });
});

describe('any one-second window, across a change of capacity mode', () => {
  it('on-demand to provisioned: the shard counts what the stream admitted', async () => {
    const { layer, clock, put } = layerAt('on');
    layer.setModel(parseServiceModel({ capacity: onDemand({ recordsPerS: 4000 }) }));
    expect(await put(3000)).toBe(3000);
    clock.t += 500;
    layer.setModel(parseServiceModel({}));
    expect(await put(500)).toBe(0);
    clock.t += 500;
    expect(await put(1500)).toBe(1000);
  });

  it('provisioned to on-demand: the stream counts what its shards admitted', async () => {
    const { layer, clock, put } = layerAt('on');
    expect(await put(1000)).toBe(1000);
    clock.t += 500;
    layer.setModel(parseServiceModel({ capacity: onDemand({ recordsPerS: 4000 }) }));
    expect(await put(4000)).toBe(3000);
  });
});

describe('fractional multipliers', () => {
  it('at x0.1 a shard answers half a GetRecords and GetShardIterator call a second', async () => {
    const { clock, call } = layerAt('0.1');
    const read = () => call('GetRecords', { ShardIterator: 'it' });
    const iterator = () =>
      call('GetShardIterator', { StreamName: 's', ShardId: 'shardId-000000000000' });
    expect([await iterator(), await read()]).toEqual([200, 200]);
    clock.t += 1000;
    expect([await iterator(), await read()]).toEqual([400, 400]);
    clock.t += 999;
    expect([await iterator(), await read()]).toEqual([400, 400]);
    clock.t += 1;
    expect([await iterator(), await read()]).toEqual([200, 200]);
  });
});

describe('partition keys past the cap of remembered keys', () => {
  it('never forgets a key still counting against its limit', () => {
    const s = new OnDemandStream(onDemand({ recordsPerS: 1_000_000, keyRecordsPerS: 10 }), 1, 0, 0);
    for (let i = 0; i < 10; i++) expect(s.admitWrite('hot', 10, 0)).toBe('ok');
    expect(s.admitWrite('hot', 10, 0)).toBe('key');
    for (let i = 0; i < 100_000; i++) s.admitWrite(`k${i}`, 10, 1);
    expect(s.admitWrite('hot', 10, 2)).toBe('key');
    // Idle for a second, it has its full limit again, remembered or not.
    expect(s.admitWrite('hot', 10, 1000)).toBe('ok');
  });
});

describe('control-plane calls', () => {
  it("are metered against AWS's published limits, account-wide or per stream", async () => {
    const { clock, call } = layerAt('on');
    const summaries = [];
    for (let i = 0; i < 21; i++) summaries.push(await call('DescribeStreamSummary'));
    expect(summaries.filter((s) => s === 200)).toHaveLength(20);
    expect(summaries.at(-1)).toBe(400);
    // Account-wide: another stream shares the limit.
    expect(await call('DescribeStreamSummary', { StreamName: 'other' })).toBe(400);
    const lists = [];
    for (let i = 0; i < 6; i++) lists.push(await call('ListStreams', {}));
    expect(lists).toEqual([200, 200, 200, 200, 200, 400]);
    clock.t += 1000;
    expect(await call('DescribeStreamSummary')).toBe(200);
    expect(await call('ListStreams', {})).toBe(200);
  });

  it('answer LimitExceededException over the limit, scaled by the multiplier', async () => {
    const { layer, clock } = layerAt('0.1');
    const describe = () => layer.handle('DescribeLimits', {}, upstream);
    expect(await describe()).toBe('pass');
    const refused = (await describe()) as Answer;
    expect(refused.status).toBe(400);
    expect((refused.json as { __type: string }).__type).toBe('LimitExceededException');
    clock.t += 9_999;
    expect(await describe()).not.toBe('pass');
    clock.t += 1;
    expect(await describe()).toBe('pass');
  });

  it("follow the service model's limits where it sets them", async () => {
    const { layer, call } = layerAt('on');
    layer.setModel(
      parseServiceModel({ controlPlane: { DescribeStreamSummary: { perS: 2, per: 'stream' } } }),
    );
    const calls = [];
    for (let i = 0; i < 3; i++) calls.push(await call('DescribeStreamSummary'));
    expect(calls).toEqual([200, 200, 400]);
    // Per stream now: another stream has its own two.
    expect(await call('DescribeStreamSummary', { StreamName: 'other' })).toBe(200);
  });

  it('pass unmetered with the layer off', async () => {
    const { call } = layerAt('off');
    for (let i = 0; i < 30; i++) expect(await call('DescribeStreamSummary')).toBe(200);
  });
});

describe('a stated capacity (the model’s capacityScale)', () => {
  it('scales a shard’s writes, times the multiplier, and leaves its reads at AWS’s', async () => {
    const { layer, clock, put, call } = layerAt('on');
    layer.setModel(parseServiceModel({ capacityScale: 0.25 }));
    expect(await put(1000)).toBe(250);
    clock.t += 1001;
    layer.setMode(parseQuotaMode('x2'));
    expect(await put(1000)).toBe(500);
    clock.t += 1001;
    // Reads are a consumer's cadence, not capacity: still 5 calls a second at ×1.
    layer.setMode(parseQuotaMode('on'));
    expect(
      await call('GetShardIterator', { StreamName: 's', ShardId: 'shardId-000000000000' }),
    ).toBe(200);
    const reads: number[] = [];
    for (let i = 0; i < 7; i++) reads.push(await call('GetRecords', { ShardIterator: 'it' }));
    expect(reads.filter((s) => s === 200)).toHaveLength(5);
  });

  it('scales an on-demand stream’s allowance and each key’s', async () => {
    const { layer, put } = layerAt('on');
    layer.setModel(
      parseServiceModel({ capacityScale: 0.5, capacity: onDemand({ scaleAfterMs: 60_000 }) }),
    );
    expect(await put(100)).toBe(50);
    expect(layer.allowanceOf('s')?.recordsPerS).toBe(50);
  });
});
