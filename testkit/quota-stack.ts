/**
 * For tests: the quota layer in this process, in front of an in-process kinesalite on free
 * ports, and SDK clients for it. Unit tests (exact arithmetic on a frozen clock) and
 * integration tests (rates on the real clock, the engine behind it) share it.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { CreateStreamCommand, DescribeStreamCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Registry } from 'prom-client';
import { QuotaLayer } from '../drivers/kinesis/quota/layer.ts';
import { parseQuotaMode } from '../drivers/kinesis/quota/limits.ts';
import { createQuotaServer } from '../drivers/kinesis/quota/server.ts';

const require = createRequire(import.meta.url);
const kinesalite = require('kinesalite') as (o: object) => Server;

export interface QuotaTestStack {
  /** The quota layer's URL (Kinesis API, /quota, /metrics). */
  base: string;
  /** kinesalite's own URL, past the layer. */
  upstream: string;
  layer: QuotaLayer;
  registry: Registry;
  /** An SDK client without retries (each throttle is seen), through the layer by default. */
  client(endpoint?: string): KinesisClient;
  /** Creates a stream through `client` and waits until it is ACTIVE. */
  createStream(client: KinesisClient, name: string, shards?: number): Promise<void>;
  close(): void;
}

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

export async function startQuotaTestStack(
  opts: { now?: () => number } = {},
): Promise<QuotaTestStack> {
  const kinesis = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, shardLimit: 50 });
  const upstream = `http://127.0.0.1:${await listen(kinesis)}`;
  const registry = new Registry();
  const layer = new QuotaLayer({
    mode: parseQuotaMode('on'),
    registry,
    ...(opts.now ? { now: opts.now } : {}),
  });
  const quota = createQuotaServer({ layer, registry, upstream });
  const base = `http://127.0.0.1:${await listen(quota)}`;
  return {
    base,
    upstream,
    layer,
    registry,
    client: (endpoint = base) =>
      new KinesisClient({
        endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        requestHandler: new NodeHttpHandler(),
        maxAttempts: 1,
      }),
    async createStream(client, name, shards = 1) {
      await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
      for (;;) {
        const d = await client.send(new DescribeStreamCommand({ StreamName: name }));
        if (d.StreamDescription?.StreamStatus === 'ACTIVE') return;
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close() {
      quota.close();
      kinesis.close();
    },
  };
}
