import { once } from 'node:events';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import {
  CreateStreamCommand,
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ProvisionedThroughputExceededException,
  PutRecordCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { QuotaLayer } from './layer.ts';
import { parseQuotaMode } from './limits.ts';
import { createQuotaServer } from './server.ts';

const require = createRequire(import.meta.url);
const kinesalite = require('kinesalite') as (o: object) => Server;

let upstream: Server;
let quota: Server;
let layer: QuotaLayer;
let registry: Registry;
let base: string;
/** Frozen time for exact bucket arithmetic; rates on the real clock: test/integration/quota-rate.test.ts. */
let frozen: number | undefined;
let client: KinesisClient;
const HALF = 2n ** 127n; // a hash key in the second of two shards

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

async function createStream(name: string, shards: number): Promise<void> {
  await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  for (;;) {
    const d = await client.send(new DescribeStreamCommand({ StreamName: name }));
    if (d.StreamDescription?.StreamStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const entries = (n: number, bytes = 10, key = (i: number) => `hunt-${i}`) =>
  Array.from({ length: n }, (_, i) => ({ Data: new Uint8Array(bytes), PartitionKey: key(i) }));

async function setMode(spec: string): Promise<void> {
  const res = await fetch(`${base}/quota`, { method: 'PUT', body: spec });
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  upstream = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, shardLimit: 50 });
  const upPort = await listen(upstream);
  registry = new Registry();
  layer = new QuotaLayer({ mode: parseQuotaMode('on'), registry, now: () => frozen ?? Date.now() });
  quota = createQuotaServer({ layer, registry, upstream: `http://127.0.0.1:${upPort}` });
  base = `http://127.0.0.1:${await listen(quota)}`;
  client = new KinesisClient({
    endpoint: base,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: new NodeHttpHandler(),
    maxAttempts: 1, // see each throttle instead of the SDK's retries
  });
  await createStream('one', 1);
  await createStream('two', 2);
});

afterAll(async () => {
  client?.destroy();
  quota?.close();
  upstream?.close();
});

beforeEach(async () => {
  frozen = Date.now();
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
    expect(await (await fetch(`${base}/quota`)).json()).toEqual({ mode: 'off', multiplier: 1 });
  });
});
