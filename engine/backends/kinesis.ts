import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { isLoopback } from '../../stack/config.ts';
import { putRecords } from './kinesis-put.ts';
import { ShardFleet } from './kinesis-shard-fleet.ts';
import { ShardPoller } from './kinesis-shard-poller.ts';
import type {
  Backend,
  BackendConsumer,
  BackendOptions,
  BackendProducer,
  BatchHandler,
  Received,
} from './types.ts';

/**
 * Kinesis on AWS SDK v3. HTTP/1.1 (NodeHttpHandler), because kinesalite speaks nothing else.
 * Writes go through `putRecords` (kinesis-put.ts): only refused records are retried, and a
 * record is acked only by its own entry in a response that adds up.
 */
export class KinesisBackend implements Backend {
  readonly name = 'kinesis';
  private readonly client: KinesisClient;
  private readonly consumers = new Set<BackendConsumer>();

  constructor(private readonly o: BackendOptions) {
    const endpoint = o.endpoints[0];
    const local = endpoint !== undefined && isLoopback(new URL(endpoint).hostname);
    this.client = new KinesisClient({
      region: o.region,
      ...(endpoint ? { endpoint } : {}),
      // Emulators accept any key; real AWS uses the default credential chain.
      ...(local ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
      requestHandler: new NodeHttpHandler({
        connectionTimeout: Math.min(3000, o.requestTimeoutMs),
        requestTimeout: o.requestTimeoutMs,
        // Without this a request on a blackholed connection only logs a warning and hangs.
        throwOnRequestTimeout: true,
      }),
      maxAttempts: 2,
    });
  }

  async ensureTopic(stream: string, shards: number): Promise<void> {
    try {
      await this.client.send(new CreateStreamCommand({ StreamName: stream, ShardCount: shards }));
    } catch (e) {
      if ((e as Error).name !== 'ResourceInUseException') throw e;
    }
    for (let i = 0; i < 120; i++) {
      const s = await this.client.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
      if (s.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`stream ${stream} did not become ACTIVE`);
  }

  async createProducer(stream: string): Promise<BackendProducer> {
    return { send: (records) => putRecords(this.client, stream, records) };
  }

  async createConsumer(
    stream: string,
    group: string,
    handler: BatchHandler,
  ): Promise<BackendConsumer> {
    const file = this.o.checkpointDir
      ? join(this.o.checkpointDir, `${group}.${stream}.json`)
      : undefined;
    const checkpoints = new Map<string, string>(Object.entries(await readJson(file)));
    // Follows splits and merges: children are read once their parents are read to the end.
    const fleet = new ShardFleet(
      this.client,
      stream,
      (shardId) =>
        new ShardPoller(this.client, stream, shardId, handler, checkpoints, this.o.log, {
          pollMs: this.o.kinesisPollMs,
        }),
      this.o.log,
    );
    await fleet.start();
    const save = () =>
      file ? writeJson(file, Object.fromEntries(checkpoints)) : Promise.resolve();
    const timer = setInterval(() => void save().catch(() => {}), 1000);
    timer.unref();
    const consumer: BackendConsumer = {
      // One shard not yet (or no longer) measured makes the whole figure unknown.
      lag: () => ({ kind: 'age-ms', value: fleet.lag() }),
      close: async () => {
        this.consumers.delete(consumer);
        clearInterval(timer);
        await fleet.stop();
        await save();
      },
    };
    this.consumers.add(consumer);
    return consumer;
  }

  async readAll(stream: string, onRecord: (r: Received) => void): Promise<void> {
    const shards =
      (await this.client.send(new ListShardsCommand({ StreamName: stream }))).Shards ?? [];
    for (const s of shards) {
      let it = (
        await this.client.send(
          new GetShardIteratorCommand({
            StreamName: stream,
            ShardId: s.ShardId!,
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        )
      ).ShardIterator;
      while (it) {
        const r = await this.client.send(
          new GetRecordsCommand({ ShardIterator: it, Limit: 10_000 }),
        );
        for (const x of r.Records ?? []) {
          onRecord({
            key: x.PartitionKey ?? '',
            value: Buffer.from(x.Data ?? new Uint8Array()),
            brokerTs: x.ApproximateArrivalTimestamp?.getTime() ?? 0,
            source: `${stream}/${s.ShardId}@${x.SequenceNumber}`,
          });
        }
        if ((r.Records ?? []).length === 0 && !r.MillisBehindLatest) break;
        it = r.NextShardIterator;
        await new Promise((res) => setTimeout(res, 200));
      }
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.close()));
    this.client.destroy();
  }
}

async function readJson(file: string | undefined): Promise<Record<string, string>> {
  if (!file) return {};
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return {};
  }
}

async function writeJson(file: string, v: unknown): Promise<void> {
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(`${file}.tmp`, JSON.stringify(v));
  await rename(`${file}.tmp`, file);
}
