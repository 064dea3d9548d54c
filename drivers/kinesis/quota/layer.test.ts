import {
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  InvalidArgumentException,
  type KinesisClient,
  ProvisionedThroughputExceededException,
  PutRecordCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type QuotaTestStack, startQuotaTestStack } from '../../../testkit/quota-stack.ts';
import { QuotaLayer } from './layer.ts';
import { MiB, parseQuotaMode } from './limits.ts';

let stack: QuotaTestStack;
let base: string;
/** Frozen time for exact bucket arithmetic; rates on the real clock: test/integration/quota-rate.test.ts. */
let frozen: number | undefined;
let client: KinesisClient;
/** Straight to kinesalite, past the layer. */
let direct: KinesisClient;
const HALF = 2n ** 127n; // a hash key in the second of two shards

const createStream = (name: string, shards: number) => stack.createStream(client, name, shards);

const entries = (n: number, bytes = 10, key = (i: number) => `hunt-${i}`) =>
  Array.from({ length: n }, (_, i) => ({ Data: new Uint8Array(bytes), PartitionKey: key(i) }));

async function setMode(spec: string): Promise<void> {
  const res = await fetch(`${base}/quota`, { method: 'PUT', body: spec });
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  stack = await startQuotaTestStack({ now: () => frozen ?? Date.now() });
  base = stack.base;
  client = stack.client();
  direct = stack.client(stack.upstream);
  await createStream('one', 1);
  await createStream('two', 2);
});

afterAll(async () => {
  client?.destroy();
  direct?.destroy();
  stack?.close();
});

beforeEach(async () => {
  // Limits carry what they admitted across a mode change: each test starts well past the
  // last one's windows and read debts.
  frozen = Math.max(Date.now(), (frozen ?? 0) + 10_000);
  await setMode('on');
});

describe('quota layer in front of kinesalite', () => {
  it('fails PutRecords entries over 1,000 records/s per shard, as AWS answers', async () => {
    const a = await client.send(
      new PutRecordsCommand({ StreamName: 'one', Records: entries(500) }),
    );
    const b = await client.send(
      new PutRecordsCommand({ StreamName: 'one', Records: entries(500) }),
    );
    const c = await client.send(
      new PutRecordsCommand({ StreamName: 'one', Records: entries(500) }),
    );
    expect(a.FailedRecordCount).toBe(0);
    expect(b.FailedRecordCount).toBe(0);
    expect(c.FailedRecordCount).toBe(500);
    const failed = c.Records!.find((r) => r.ErrorCode);
    expect(failed?.ErrorCode).toBe('ProvisionedThroughputExceededException');
    expect(failed?.ErrorMessage).toMatch(
      /Rate exceeded for shard shardId-000000000000 in stream one/,
    );
    expect(c.Records).toHaveLength(500);
    expect(c.Records!.filter((r) => r.SequenceNumber).length).toBe(500 - c.FailedRecordCount!);
  });

  it('answers PutRecord over quota with a 400 the SDK maps to its exception', async () => {
    await client.send(new PutRecordsCommand({ StreamName: 'one', Records: entries(500) }));
    await client.send(new PutRecordsCommand({ StreamName: 'one', Records: entries(500) }));
    const err = await client
      .send(new PutRecordCommand({ StreamName: 'one', Data: new Uint8Array(1), PartitionKey: 'k' }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect((err as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(400);
  });

  it('keeps shards apart: the shard comes from the hash key, as kinesalite places records', async () => {
    const records = [
      ...entries(1000).map((r) => ({ ...r, ExplicitHashKey: '1' })),
      ...entries(1000).map((r) => ({ ...r, ExplicitHashKey: String(HALF + 1n) })),
    ];
    const first = await client.send(
      new PutRecordsCommand({ StreamName: 'two', Records: records.slice(0, 500) }),
    );
    const rest = await Promise.all(
      [500, 1000, 1500].map((at) =>
        client.send(
          new PutRecordsCommand({ StreamName: 'two', Records: records.slice(at, at + 500) }),
        ),
      ),
    );
    expect([first, ...rest].map((r) => r.FailedRecordCount)).toEqual([0, 0, 0, 0]);
    expect(new Set(rest[2]!.Records!.map((r) => r.ShardId))).toEqual(
      new Set(['shardId-000000000001']),
    );
    // MD5-placed keys: our shard for each failed entry must be the one kinesalite would pick.
    const mixed = await client.send(
      new PutRecordsCommand({ StreamName: 'two', Records: entries(400) }),
    );
    expect(mixed.FailedRecordCount).toBe(400);
    expect(new Set(mixed.Records!.map((r) => r.ErrorMessage?.match(/shardId-\d+/)?.[0]))).toEqual(
      new Set(['shardId-000000000000', 'shardId-000000000001']),
    );
  });

  it('limits GetRecords to 5 calls/s per shard', async () => {
    const it0 = await client.send(
      new GetShardIteratorCommand({
        StreamName: 'one',
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'LATEST',
      }),
    );
    let iterator = it0.ShardIterator;
    let ok = 0;
    let error: unknown;
    for (let i = 0; i < 6 && !error; i++) {
      try {
        const r = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
        iterator = r.NextShardIterator;
        ok++;
      } catch (e) {
        error = e;
      }
    }
    expect(ok).toBe(5);
    expect(error).toBeInstanceOf(ProvisionedThroughputExceededException);
  });

  it('passes everything when off, and counts throttled records in /metrics', async () => {
    await setMode('off');
    for (let i = 0; i < 4; i++) {
      const r = await client.send(
        new PutRecordsCommand({ StreamName: 'one', Records: entries(500) }),
      );
      expect(r.FailedRecordCount).toBe(0);
    }
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(
      /hunt_kinesis_quota_throttled_records_total\{op="PutRecords",stream="one"\} \d+/,
    );
    expect(metrics).toMatch(/hunt_kinesis_quota_multiplier 0/);
    expect(await (await fetch(`${base}/quota`)).json()).toMatchObject({
      mode: 'off',
      multiplier: 1,
    });
  });
});

const statusOf = (e: unknown) =>
  (e as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode;

async function readAll(c: KinesisClient, stream: string, shard = 'shardId-000000000000') {
  const { ShardIterator } = await c.send(
    new GetShardIteratorCommand({
      StreamName: stream,
      ShardId: shard,
      ShardIteratorType: 'TRIM_HORIZON',
    }),
  );
  const r = await c.send(new GetRecordsCommand({ ShardIterator }));
  return r.Records ?? [];
}

describe("AWS's per-call limits", () => {
  it('refuses a PutRecords request over 5 MiB with InvalidArgumentException, writing nothing', async () => {
    await createStream('five', 1);
    const err = await client
      .send(new PutRecordsCommand({ StreamName: 'five', Records: entries(6, 1_000_000) }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArgumentException);
    expect(statusOf(err)).toBe(400);
    expect((err as Error).message).toMatch(/Records size exceeds 5 MB limit/);
    expect(await readAll(direct, 'five')).toHaveLength(0);
  });

  it('refuses a record over 1 MiB counting its partition key', async () => {
    const err = await client
      .send(new PutRecordsCommand({ StreamName: 'one', Records: entries(1, MiB, () => 'k') }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArgumentException);
  });

  it('answers at most 10 MiB a GetRecords call; the next call reads on from there', async () => {
    await createStream('big', 1);
    await setMode('off');
    for (let i = 0; i < 3; i++) {
      await client.send(
        new PutRecordsCommand({ StreamName: 'big', Records: entries(4, 1_000_000) }),
      );
    }
    await setMode('on');
    const { ShardIterator } = await client.send(
      new GetShardIteratorCommand({
        StreamName: 'big',
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const first = await client.send(new GetRecordsCommand({ ShardIterator }));
    expect(first.Records).toHaveLength(10); // 10 × ~1 MB fit in 10 MiB, 11 do not
    frozen! += 10_000; // pay back the 2 MiB/s read debt
    const rest = await client.send(
      new GetRecordsCommand({ ShardIterator: first.NextShardIterator }),
    );
    expect(rest.Records).toHaveLength(2);
    expect(rest.Records![0]!.SequenceNumber! > first.Records![9]!.SequenceNumber!).toBe(true);
  });

  it('limits GetShardIterator to 5 calls/s per shard', async () => {
    const get = () =>
      client.send(
        new GetShardIteratorCommand({
          StreamName: 'two',
          ShardId: 'shardId-000000000001',
          ShardIteratorType: 'LATEST',
        }),
      );
    for (let i = 0; i < 5; i++) await get();
    const err = await get().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(statusOf(err)).toBe(400);
    frozen! += 1_000;
    expect((await get()).ShardIterator).toBeTruthy();
  });

  it('refuses an iterator it never handed out (fails closed) instead of reading unmetered', async () => {
    await client.send(new PutRecordsCommand({ StreamName: 'one', Records: entries(3) }));
    const { ShardIterator } = await direct.send(
      new GetShardIteratorCommand({
        StreamName: 'one',
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const err = await client
      .send(new GetRecordsCommand({ ShardIterator }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExpiredIteratorException);
    expect(statusOf(err)).toBe(400);
  });

  it('refuses writes to a stream it cannot describe, with the upstream answer', async () => {
    const err = await client
      .send(new PutRecordsCommand({ StreamName: 'nowhere', Records: entries(2) }))
      .catch((e: unknown) => e);
    expect((err as Error).name).toBe('ResourceNotFoundException');
    // A failing DescribeStream must not let a write through unmetered.
    const calls: string[] = [];
    const failing = new QuotaLayer({ mode: parseQuotaMode('on'), registry: new Registry() });
    const answer = await failing.handle(
      'PutRecords',
      { StreamName: 's', Records: [{ Data: 'AA==', PartitionKey: 'k' }] },
      async (op) => {
        calls.push(op);
        return op === 'DescribeStream'
          ? { status: 500, json: { __type: 'InternalFailure' } }
          : {
              status: 200,
              json: { FailedRecordCount: 0, Records: [{ SequenceNumber: '1', ShardId: 'x' }] },
            };
      },
    );
    expect(answer).toEqual({ status: 500, json: { __type: 'InternalFailure' } });
    expect(calls).not.toContain('PutRecords');
  });
});

describe('lie mode (a lying broker)', () => {
  it('acknowledges every record of a PutRecords and writes only the share it keeps', async () => {
    await createStream('lies', 1);
    const res = await fetch(`${base}/quota`, {
      method: 'PUT',
      body: JSON.stringify({ mode: 'lie', share: 0.5 }),
    });
    expect(((await res.json()) as { current: unknown }).current).toMatchObject({
      mode: 'lie',
      multiplier: 1,
      share: 0.5,
    });
    const put = await client.send(
      new PutRecordsCommand({ StreamName: 'lies', Records: entries(10, 10, (i) => `lie-${i}`) }),
    );
    expect(put.FailedRecordCount).toBe(0);
    expect(put.Records!.every((r) => /^\d{56}$/.test(r.SequenceNumber!) && r.ShardId)).toBe(true);
    expect(new Set(put.Records!.map((r) => r.SequenceNumber)).size).toBe(10);
    const written = await readAll(direct, 'lies');
    expect(written).toHaveLength(5);
    const kept = new Set(written.map((r) => r.PartitionKey));
    // The answer for a dropped record looks like a kept one's: nothing in it tells them apart.
    expect(put.Records!.filter((_r, i) => !kept.has(`lie-${i}`))).toHaveLength(5);
    const one = await client.send(
      new PutRecordCommand({ StreamName: 'lies', Data: new Uint8Array(1), PartitionKey: 'solo' }),
    );
    const two = await client.send(
      new PutRecordCommand({ StreamName: 'lies', Data: new Uint8Array(1), PartitionKey: 'solo2' }),
    );
    expect([one, two].every((r) => r.SequenceNumber && r.ShardId)).toBe(true);
    expect((await readAll(direct, 'lies')).length).toBe(6);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(
      /hunt_kinesis_quota_lied_records_total\{op="PutRecords",stream="lies"\} 5/,
    );
  });

  it('drops every record at share 1 (text mode `lie`)', async () => {
    await setMode('lie');
    const put = await client.send(
      new PutRecordsCommand({ StreamName: 'lies', Records: entries(4, 10, (i) => `all-${i}`) }),
    );
    expect(put.FailedRecordCount).toBe(0);
    const written = await readAll(direct, 'lies');
    expect(written.filter((r) => r.PartitionKey?.startsWith('all-'))).toHaveLength(0);
  });
});
