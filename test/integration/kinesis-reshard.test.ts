/**
 * Resharding under load: a shard is split and its children merged again while the engine
 * writes and reads, through the quota layer, against a real kinesalite. The consumer follows
 * the new shards (children after their parents) and nothing accepted is lost.
 */
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeStreamSummaryCommand,
  KinesisClient,
  MergeShardsCommand,
  SplitShardCommand,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KinesisBackend } from '../../drivers/kinesis/backend.ts';
import { QuotaLayer } from '../../drivers/kinesis/quota/layer.ts';
import { parseQuotaMode } from '../../drivers/kinesis/quota/limits.ts';
import { createQuotaServer } from '../../drivers/kinesis/quota/server.ts';
import { fixtureCatalogue } from '../../engine/catalogue.ts';
import { defaultConfig, resolveEngineConfig } from '../../engine/config.ts';
import { type RunningEngine, startEngine } from '../../engine/engine.ts';

const require = createRequire(import.meta.url);
const kinesalite = require('kinesalite') as (o: object) => Server;

let upstream: Server;
let quota: Server;
let endpoint: string;
let engine: RunningEngine;
let backend: KinesisBackend;
let client: KinesisClient;
const logs: string[] = [];
const topic = `reshard-${Date.now().toString(36)}`;

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

async function active(): Promise<void> {
  for (;;) {
    const d = await client.send(new DescribeStreamSummaryCommand({ StreamName: topic }));
    if (d.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  upstream = kinesalite({
    createStreamMs: 0,
    deleteStreamMs: 0,
    updateStreamMs: 50,
    shardLimit: 50,
  });
  const upPort = await listen(upstream);
  const registry = new Registry();
  const layer = new QuotaLayer({ mode: parseQuotaMode('on'), registry });
  quota = createQuotaServer({ layer, registry, upstream: `http://127.0.0.1:${upPort}` });
  endpoint = `http://127.0.0.1:${await listen(quota)}`;
  const config = resolveEngineConfig({
    defaults: defaultConfig({
      engine: 0,
      kafka: '127.0.0.1:1',
      kinesis: endpoint,
      fulfillment: 'http://127.0.0.1:1',
    }),
    flags: { backend: 'kinesis', topic, partitions: 2 },
  });
  const log = (msg: string, f?: Record<string, unknown>) =>
    logs.push(`${msg} ${JSON.stringify(f ?? {})}`);
  backend = new KinesisBackend({
    endpoints: [endpoint],
    clientId: 'reshard-it',
    requestTimeoutMs: 2000,
    region: 'us-east-1',
    lagPollMs: 500,
    checkpointDir: mkdtempSync(join(tmpdir(), 'hunt-reshard-')),
    log,
  });
  engine = await startEngine({
    config,
    catalogue: fixtureCatalogue(),
    backend,
    registry: new Registry(),
    log: () => {},
    fulfill: async () => {},
  });
  client = new KinesisClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: new NodeHttpHandler(),
  });
});

afterAll(async () => {
  await engine?.stop().catch(() => {});
  client?.destroy();
  quota?.close();
  upstream?.close();
  if (process.env.HUNT_TEST_LOGS) console.log(logs.join('\n'));
});

async function write(i: number): Promise<{ status: number; id?: string }> {
  const r = await fetch(`${engine.url}/hunts/h${i % 7}/players`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ playerId: `p${i}`, displayName: `p${i}` }),
  });
  return { status: r.status, ...((await r.json()) as { id?: string }) };
}

describe('resharding under load', () => {
  it('follows a split and a merge with nothing lost', async () => {
    const answers: Promise<{ status: number; id?: string }>[] = [];
    const t0 = Date.now();
    const reshard = (async () => {
      await new Promise((r) => setTimeout(r, 1500));
      await client.send(
        new SplitShardCommand({
          StreamName: topic,
          ShardToSplit: 'shardId-000000000000',
          NewStartingHashKey: (2n ** 126n).toString(),
        }),
      );
      await active();
      await new Promise((r) => setTimeout(r, 1500));
      await client.send(
        new MergeShardsCommand({
          StreamName: topic,
          ShardToMerge: 'shardId-000000000002',
          AdjacentShardToMerge: 'shardId-000000000003',
        }),
      );
      await active();
    })();
    for (let i = 0; i < 300; i++) {
      await new Promise((r) => setTimeout(r, Math.max(0, t0 + i * 20 - Date.now())));
      answers.push(write(i));
    }
    await reshard;
    const results = await Promise.all(answers);
    const accepted = results.filter((r) => r.status === 202).map((r) => r.id!);
    expect(accepted.length).toBe(300);
    const end = Date.now() + 30_000;
    while (engine.status().counts.delivered < accepted.length && Date.now() < end)
      await new Promise((r) => setTimeout(r, 100));
    const s = engine.status();
    expect(s.counts.delivered, logs.join('\n')).toBe(accepted.length);
    expect(s.counts.duplicates).toBe(0);
    expect(logs.filter((l) => l.startsWith('kinesis shard closed')).length).toBeGreaterThanOrEqual(
      3,
    );
    // Read as the audit does: after the engine stopped, with the shards' read limits free.
    await engine.stop();
    await new Promise((r) => setTimeout(r, 1100));
    const ids = new Set<string>();
    await backend.readAll(topic, (r) => {
      ids.add((JSON.parse(r.value.toString('utf8')) as { id: string }).id);
    });
    expect(accepted.filter((id) => !ids.has(id))).toEqual([]);
  });
});
