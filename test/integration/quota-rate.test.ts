import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MiB } from '../../drivers/kinesis/quota/limits.ts';
import { type QuotaTestStack, startQuotaTestStack } from '../../testkit/quota-stack.ts';

let stack: QuotaTestStack;
let base: string;
let client: KinesisClient;

beforeAll(async () => {
  stack = await startQuotaTestStack();
  base = stack.base;
  client = stack.client();
  await stack.createStream(client, 'one');
});

afterAll(async () => {
  client?.destroy();
  stack?.close();
});

describe('quota layer on the real clock', () => {
  // The admitted rate after the first second must be within 10% of the limit.
  it.each([
    { name: 'records/s at x0.2', mode: '0.2', bytes: 10, perS: 200 },
    { name: 'bytes/s at x1', mode: 'on', bytes: 64 * 1024, perS: MiB / (64 * 1024 + 6) },
  ])('admits $name within 10%', async ({ mode, bytes, perS }) => {
    const res = await fetch(`${base}/quota`, { method: 'PUT', body: mode });
    expect(res.status).toBe(200);
    const start = Date.now();
    let admitted = 0;
    while (Date.now() - start < 3000) {
      const r = await client.send(
        new PutRecordsCommand({
          StreamName: 'one',
          Records: Array.from({ length: bytes > 1000 ? 4 : 50 }, (_, i) => ({
            Data: new Uint8Array(bytes),
            PartitionKey: `hunt-${i}`,
          })),
        }),
      );
      if (Date.now() - start > 1000) admitted += r.Records!.length - (r.FailedRecordCount ?? 0);
      await new Promise((res) => setTimeout(res, 10));
    }
    const rate = admitted / ((Date.now() - start - 1000) / 1000);
    console.log(
      `quota ${mode}, ${bytes} B records: admitted ${rate.toFixed(1)}/s, limit ${perS.toFixed(1)}/s`,
    );
    expect(Math.abs(rate - perS) / perS).toBeLessThan(0.1);
  });

  it('lets no more than one second of writes and reads through after an idle spell', async () => {
    expect((await fetch(`${base}/quota`, { method: 'PUT', body: 'on' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    // 2,000 records within half a second: a bucket that starts full let ~1,500 through.
    const start = Date.now();
    let admitted = 0;
    for (let i = 0; i < 4; i++) {
      const r = await client.send(
        new PutRecordsCommand({
          StreamName: 'one',
          Records: Array.from({ length: 500 }, (_, j) => ({
            Data: new Uint8Array(10),
            PartitionKey: `idle-${i}-${j}`,
          })),
        }),
      );
      admitted += r.Records!.length - (r.FailedRecordCount ?? 0);
    }
    expect(Date.now() - start).toBeLessThan(1000);
    expect(admitted).toBe(1000);
    const it = await client.send(
      new GetShardIteratorCommand({
        StreamName: 'one',
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'LATEST',
      }),
    );
    await new Promise((r) => setTimeout(r, 1500));
    let served = 0;
    let iterator = it.ShardIterator!;
    const readStart = Date.now();
    for (let i = 0; i < 10; i++) {
      try {
        const r = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
        iterator = r.NextShardIterator!;
        served++;
      } catch (e) {
        expect((e as Error).name).toBe('ProvisionedThroughputExceededException');
      }
    }
    expect(Date.now() - readStart).toBeLessThan(1000);
    expect(served).toBe(5);
  });
});
