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
import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import type {
  Backend,
  BackendConsumer,
  BackendOptions,
  BackendProducer,
  BatchHandler,
  ReadFrom,
  Received,
} from '../../engine/backend.ts';
import { isLoopback } from '../../stack/config.ts';
import { PUT_PAUSES, putRecords } from './put.ts';
import { ShardFleet } from './shard-fleet.ts';
import { ShardPoller, startIterator } from './shard-poller.ts';

/**
 * Control-plane calls over their account-wide rate (CreateStream: 5 a second on AWS, fewer
 * under a quota multiplier) answer LimitExceededException: wait and call again, as AWS
 * advises, rather than fail an engine that starts beside others.
 */
export const CONTROL_RETRY = retry(
  handleWhen((e) => e.name === 'LimitExceededException'),
  { maxAttempts: 8, backoff: new ExponentialBackoff({ initialDelay: 200, maxDelay: 2_000 }) },
);

/** The checkpoint file's key for when a consumer started at `now` first started (no shard id). */
const STARTED_AT = '@startedAt';

/**
 * Kinesis on AWS SDK v3. HTTP/1.1 (NodeHttpHandler), because kinesalite speaks nothing else.
 * Writes go through `putRecords` (kinesis-put.ts): only refused records are retried, and a
 * record is acked only by its own entry in a response that adds up.
 */
/** The Kinesis backend's options: the common ones and its consumer's polling cadence. */
export interface KinesisBackendOptions extends BackendOptions {
  /** The least time between GetRecords calls on one shard, ms (default 200). */
  kinesisPollMs?: number;
}

export class KinesisBackend implements Backend {
  readonly name = 'kinesis';
  readonly noun = 'stream';
  private readonly client: KinesisClient;
  private readonly consumers = new Set<BackendConsumer>();

  constructor(private readonly o: KinesisBackendOptions) {
    this.client = kinesisClient(o);
  }

  async ensureTopic(stream: string, shards: number): Promise<void> {
    try {
      await CONTROL_RETRY.execute(() =>
        this.client.send(new CreateStreamCommand({ StreamName: stream, ShardCount: shards })),
      );
    } catch (e) {
      if ((e as Error).name !== 'ResourceInUseException') throw e;
    }
    for (let i = 0; i < 120; i++) {
      const s = await CONTROL_RETRY.execute(() =>
        this.client.send(new DescribeStreamSummaryCommand({ StreamName: stream })),
      );
      if (s.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`stream ${stream} did not become ACTIVE`);
  }

  async createProducer(stream: string): Promise<BackendProducer> {
    const throttled = { records: 0 };
    return {
      send: (records) => putRecords(this.client, stream, records, PUT_PAUSES, throttled),
      // Kinesis refuses a throttled record outright and names no throttle time.
      throttle: () => ({ records: throttled.records, ms: null }),
    };
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
    // Kept in the checkpoint file, so that a restarted engine reads a shard it never
    // checkpointed from its first start, not from the restart.
    if (this.o.startAt === 'now' && !checkpoints.has(STARTED_AT))
      checkpoints.set(STARTED_AT, String(Date.now()));
    const startAtMs = checkpoints.has(STARTED_AT) ? Number(checkpoints.get(STARTED_AT)) : undefined;
    // Follows splits and merges: children are read once their parents are read to the end.
    const fleet = new ShardFleet(
      this.client,
      stream,
      (shardId) =>
        new ShardPoller(this.client, stream, shardId, handler, checkpoints, this.o.log, {
          pollMs: this.o.kinesisPollMs,
          startAtMs,
          emulator: isEmulator(this.o),
        }),
      this.o.log,
    );
    const write = checkpointWriter(file);
    const save = () => write(Object.fromEntries(checkpoints));
    await save();
    await fleet.start();
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

  async topicExists(stream: string): Promise<boolean> {
    try {
      await this.client.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
      return true;
    } catch (e) {
      if ((e as Error).name === 'ResourceNotFoundException') return false;
      throw e;
    }
  }

  /** Kinesis has no record counts: the mark is the time, read back with AT_TIMESTAMP. */
  async markEnd(_stream: string): Promise<ReadFrom> {
    return { atMs: Date.now() };
  }

  async readAll(stream: string, onRecord: (r: Received) => void, from?: ReadFrom): Promise<void> {
    const shards =
      (await this.client.send(new ListShardsCommand({ StreamName: stream }))).Shards ?? [];
    for (const s of shards) {
      let it = (
        await this.client.send(
          new GetShardIteratorCommand({
            StreamName: stream,
            ShardId: s.ShardId!,
            ...startIterator(from?.atMs, isEmulator(this.o)),
          }),
        )
      ).ShardIterator;
      while (it) {
        const r = await this.client.send(
          new GetRecordsCommand({ ShardIterator: it, Limit: 10_000 }),
        );
        for (const x of r.Records ?? []) {
          if (
            from?.atMs !== undefined &&
            (x.ApproximateArrivalTimestamp?.getTime() ?? 0) < from.atMs
          )
            continue;
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

/** A loopback endpoint: kinesalite (possibly behind the quota layer and a proxy). */
function isEmulator(o: BackendOptions): boolean {
  const endpoint = o.endpoints[0];
  return endpoint !== undefined && isLoopback(new URL(endpoint).hostname);
}

/**
 * The SDK client. With an endpoint (kinesalite, a proxy) it talks there; without one, to the
 * SDK's regional endpoint (https://kinesis.<region>.amazonaws.com) with the default
 * credential chain (environment, AWS_PROFILE, SSO, instance or task role).
 */
export function kinesisClient(o: BackendOptions): KinesisClient {
  const endpoint = o.endpoints[0];
  const local = isEmulator(o);
  return new KinesisClient({
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

async function readJson(file: string | undefined): Promise<Record<string, string>> {
  if (!file) return {};
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return {};
  }
}

/**
 * Saves a checkpoint file one write at a time: the timer's save and close()'s last one would
 * otherwise share its temporary file, and the second rename find it gone.
 */
export function checkpointWriter(file: string | undefined) {
  let saving: Promise<void> = Promise.resolve();
  return (v: Record<string, string>): Promise<void> => {
    const next = saving.catch(() => {}).then(() => (file ? writeJson(file, v) : undefined));
    saving = next;
    return next;
  };
}

async function writeJson(file: string, v: unknown): Promise<void> {
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(`${file}.tmp`, JSON.stringify(v));
  await rename(`${file}.tmp`, file);
}
