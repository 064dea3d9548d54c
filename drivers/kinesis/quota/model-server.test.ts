import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOOPBACK_MODEL, type ServiceModel } from '../../../contract/service-model.ts';
import { type QuotaTestStack, startQuotaTestStack } from '../../../testkit/quota-stack.ts';
import { setKinesisQuota } from '../quota-control.ts';
import { kinesisModelStats } from '../self-check.ts';

let stack: QuotaTestStack;
let base: string;
let client: KinesisClient;

const createStream = (name: string) => stack.createStream(client, name);

const model = (m: Partial<ServiceModel>): ServiceModel => ({ ...LOOPBACK_MODEL, ...m });
const records = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ Data: new Uint8Array(10), PartitionKey: `k${i}` }));

beforeAll(async () => {
  stack = await startQuotaTestStack();
  base = stack.base;
  client = stack.client();
  await createStream('lat');
  await createStream('od');
});

afterAll(async () => {
  client?.destroy();
  stack?.close();
});

describe('the service model over the admin route', () => {
  it('delays calls as set, answers the model it replaced, and measures propagation', async () => {
    const m = model({
      latency: { PutRecords: { p50: 40, p99: 40 }, GetRecords: { p50: 80, p99: 80 } },
    });
    const previous = await setKinesisQuota(base, { mode: 'on', multiplier: 1, model: m });
    expect(previous.model).toEqual(LOOPBACK_MODEL);
    let t = Date.now();
    await client.send(new PutRecordsCommand({ StreamName: 'lat', Records: records(3) }));
    expect(Date.now() - t).toBeGreaterThanOrEqual(38);
    const it = await client.send(
      new GetShardIteratorCommand({
        StreamName: 'lat',
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    t = Date.now();
    const r = await client.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator! }));
    expect(Date.now() - t).toBeGreaterThanOrEqual(78);
    expect(r.Records).toHaveLength(3);
    const stats = (await kinesisModelStats(base)) as {
      ops: Record<string, { count: number; meanMs: number }>;
      propagation: { count: number; meanMs: number };
    };
    expect(stats.ops.PutRecords!.meanMs).toBeGreaterThanOrEqual(38);
    expect(stats.ops.GetRecords!.meanMs).toBeGreaterThanOrEqual(78);
    expect(stats.propagation.count).toBe(3);
    expect(stats.propagation.meanMs).toBeGreaterThanOrEqual(78);
    // A setting without a model keeps the model in force; the previous setting carries it back.
    const kept = await setKinesisQuota(base, { mode: 'on', multiplier: 1 });
    expect(kept.model).toEqual(m);
    // Reverting to the model in force (a quota step's undo) keeps the measurements.
    await setKinesisQuota(base, kept);
    expect(((await kinesisModelStats(base)) as typeof stats).propagation.count).toBe(3);
    await setKinesisQuota(base, { mode: 'on', multiplier: 1, model: LOOPBACK_MODEL });
  });

  it('throttles an on-demand stream above its allowance, entry by entry', async () => {
    const onDemand = model({
      capacity: {
        mode: 'on-demand',
        recordsPerS: 100,
        bytesPerS: 4_000_000,
        previousPeakRecordsPerS: 0,
        previousPeakBytesPerS: 0,
        scaleAfterMs: 600_000,
        keyRecordsPerS: 1000,
        keyBytesPerS: 1_048_576,
      },
    });
    await setKinesisQuota(base, { mode: 'on', multiplier: 1, model: onDemand });
    const r = await client.send(new PutRecordsCommand({ StreamName: 'od', Records: records(300) }));
    expect(r.FailedRecordCount).toBe(200);
    expect(r.Records!.find((e) => e.ErrorCode)?.ErrorCode).toBe(
      'ProvisionedThroughputExceededException',
    );
    await setKinesisQuota(base, { mode: 'on', multiplier: 1, model: LOOPBACK_MODEL });
  });

  it('refuses a bad model with a 400 naming the field', async () => {
    const res = await fetch(`${base}/quota`, {
      method: 'PUT',
      body: JSON.stringify({ mode: 'on', model: { consumerApps: 0 } }),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/model\.consumerApps/);
  });
});
