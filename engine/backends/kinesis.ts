import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  PutRecordsCommand,
  type PutRecordsRequestEntry,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { isLoopback } from '../../stack/config.ts';
import { backoff } from '../consumer/downstream.ts';
import { ThrottledError } from '../errors.ts';
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

const PUT_ATTEMPTS = 4;
const MAX_CALL_BYTES = 5 * 1024 * 1024;

/**
 * Kinesis on AWS SDK v3. HTTP/1.1 (NodeHttpHandler), because kinesalite speaks nothing else.
 * PutRecords retries only the records that failed, with backoff and jitter, so a throttled
 * shard does not duplicate the records that were written.
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
    return { send: (records) => this.put(stream, records) };
  }

  private async put(stream: string, records: { key: string; value: Buffer }[]) {
    const outcomes: (Error | undefined)[] = records.map(() => undefined);
    let pending = records.map((r, i) => ({
      i,
      entry: { PartitionKey: r.key, Data: r.value } as PutRecordsRequestEntry,
    }));
    for (let attempt = 1; pending.length > 0; attempt++) {
      const failed: typeof pending = [];
      let throttled = false;
      for (const chunk of chunks(pending)) {
        const r = await this.client.send(
          new PutRecordsCommand({ StreamName: stream, Records: chunk.map((p) => p.entry) }),
        );
        (r.Records ?? []).forEach((res, j) => {
          if (!res.ErrorCode) return;
          const p = chunk[j]!;
          failed.push(p);
          throttled ||= res.ErrorCode === 'ProvisionedThroughputExceededException';
          outcomes[p.i] = new ThrottledError(`${res.ErrorCode}: ${res.ErrorMessage ?? ''}`.trim());
        });
      }
      for (const p of pending) if (!failed.includes(p)) outcomes[p.i] = undefined;
      pending = failed;
      if (pending.length === 0 || attempt >= PUT_ATTEMPTS) break;
      // Throttling wants a longer pause than an internal failure.
      await new Promise((r) => setTimeout(r, backoff(attempt, throttled ? 100 : 25, 1000)));
    }
    return outcomes;
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

/** PutRecords takes at most 500 records and 5 MiB per call. */
function* chunks<T extends { entry: PutRecordsRequestEntry }>(items: T[]): Generator<T[]> {
  let cur: T[] = [];
  let bytes = 0;
  for (const it of items) {
    const size = (it.entry.Data?.length ?? 0) + (it.entry.PartitionKey?.length ?? 0);
    if (cur.length === 500 || (cur.length > 0 && bytes + size > MAX_CALL_BYTES)) {
      yield cur;
      cur = [];
      bytes = 0;
    }
    cur.push(it);
    bytes += size;
  }
  if (cur.length > 0) yield cur;
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
