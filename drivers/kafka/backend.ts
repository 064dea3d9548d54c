import { randomUUID } from 'node:crypto';
import {
  type Admin,
  type Consumer,
  Kafka,
  type KafkaConfig,
  type LogEntry,
  logLevel,
  type Producer,
} from 'kafkajs';
import type {
  Backend,
  BackendConsumer,
  BackendProducer,
  BatchHandler,
  BrokerLag,
  ReadFrom,
  Received,
} from '../../engine/backend.ts';
import type { KafkaBackendOptions } from './options.ts';
import type { PlatformaticProducer } from './platformatic.ts';
import { IdempotentProducer, ThrottleWatch } from './producer.ts';
import { kafkajsSecurity } from './security.ts';
import { createTopicsLed } from './topics.ts';

/**
 * Kafka on kafkajs, or for the producer or the consumer group on @platformatic/kafka when
 * `kafkaProducer` / `kafkaConsumer` say so (the admin is always kafkajs). Sends are acks=all,
 * idempotent (kafka-producer.ts) and resolve on the broker's ack; the consumer group resolves
 * and commits a batch's offsets only after the engine's handler returned.
 */
export class KafkaBackend implements Backend {
  readonly name = 'kafka';
  readonly noun = 'topic';
  private readonly kafka: Kafka;
  private readonly config: KafkaConfig & { brokers: string[] };
  /** Every client we created, so that close() leaves nothing connected. */
  private readonly clients = new Set<{ disconnect(): Promise<void> }>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private producer: IdempotentProducer | undefined;
  private platformatic: Promise<PlatformaticProducer> | undefined;
  private admin: Promise<Admin> | undefined;

  private readonly forwardLog = (e: LogEntry) =>
    this.o.log(`kafkajs: ${e.log.message}`, { namespace: e.namespace });

  constructor(private readonly o: KafkaBackendOptions) {
    this.config = {
      clientId: o.clientId,
      brokers: o.endpoints,
      connectionTimeout: Math.min(3000, o.requestTimeoutMs),
      requestTimeout: o.requestTimeoutMs,
      enforceRequestTimeout: true,
      // Few, quick retries: the engine's breaker and the client decide what happens next.
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
      ...kafkajsSecurity(o.kafkaSecurity, o.endpoints),
      logLevel: logLevel.ERROR,
      logCreator: () => this.forwardLog,
    };
    this.kafka = new Kafka(this.config);
  }

  async ensureTopic(topic: string, partitions: number): Promise<void> {
    // Replication factor and min.insync.replicas are the brokers' defaults: 1 alone, and
    // min(3, brokers) with min.insync.replicas 2 on the stack's cluster (drivers/kafka/cluster.ts).
    // Brokers learn of a new topic's leaders a little after its creation.
    await createTopicsLed(this.config, [
      { topic, numPartitions: partitions, replicationFactor: -1 },
    ]);
  }

  async createProducer(topic: string): Promise<BackendProducer> {
    if (this.o.kafkaProducer === 'platformatic') {
      this.platformatic ??= platformatic().then(({ PlatformaticProducer }) => {
        const p = new PlatformaticProducer(this.o);
        this.clients.add({ disconnect: () => p.close() });
        return p.ready().then(() => p);
      });
      const p = await this.platformatic;
      return { send: (records) => p.send(topic, records), throttle: () => p.throttle() };
    }
    if (!this.producer) {
      // A client of its own, logging at debug: its throttle notices are the only word kafkajs
      // gives of a quota (ThrottleWatch); the consumer's and admin's stay quiet.
      const watch = new ThrottleWatch();
      const kafka = new Kafka({
        ...this.config,
        logLevel: logLevel.DEBUG,
        logCreator: watch.logCreator(this.forwardLog),
      });
      this.producer = new IdempotentProducer(
        kafka,
        (p) => this.connect(p),
        async (p) => {
          this.clients.delete(p);
          await p.disconnect();
        },
        watch,
      );
    }
    const producer = this.producer;
    await producer.ready();
    return {
      send: (records) => producer.send(topic, records),
      throttle: () => producer.throttle.figures,
    };
  }

  async createConsumer(
    topic: string,
    group: string,
    handler: BatchHandler,
  ): Promise<BackendConsumer> {
    if (this.o.startAt === 'now') await retriable(() => this.pinNewGroup(topic, group));
    if (this.o.kafkaConsumer === 'platformatic') {
      const { PlatformaticConsumer } = await import('./platformatic-consumer.ts');
      const p = new PlatformaticConsumer(this.o, group);
      const client = { disconnect: () => p.close() };
      this.clients.add(client);
      await p.start(topic, handler);
      return this.withLag(topic, group, async () => {
        this.clients.delete(client);
        await p.close();
      });
    }
    const consumer = await this.connect(
      // Fetch at most every 100 ms unless 64 KiB are waiting: each fetch costs a fulfillment
      // call and a commit per partition, so fewer, larger batches cost less CPU per event,
      // for at most 100 ms of added end-to-end latency.
      this.kafka.consumer({
        groupId: group,
        allowAutoTopicCreation: false,
        minBytes: 64 * 1024,
        maxWaitTimeInMs: 100,
      }),
    );
    await consumer.subscribe({ topic, fromBeginning: true });
    const admin = await this.getAdmin();
    // A fresh broker creates its offsets topic on the first group call, and until the group's
    // coordinator answers, kafkajs's consumer crashes for good (it does not restart on
    // KafkaJSGroupCoordinatorNotFound): ask for the group until the coordinator is there.
    await untilCoordinator(() => admin.describeGroups([group]));
    const partitions = (await admin.fetchTopicOffsets(topic)).length;
    await consumer.run({
      // Offsets are resolved only after the handler returned; kafkajs commits the resolved
      // ones after every batch, and when a handler throws, only those.
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: Math.min(partitions, 4),
      eachBatch: async ({ batch, resolveOffset, heartbeat, isStale }) => {
        if (batch.messages.length === 0 || isStale()) return;
        const records: Received[] = batch.messages.map((m) => ({
          key: m.key?.toString() ?? '',
          value: m.value ?? Buffer.alloc(0),
          brokerTs: Number(m.timestamp),
          source: `${topic}/${batch.partition}@${m.offset}`,
        }));
        await handler(records, heartbeat);
        resolveOffset(batch.lastOffset());
      },
    });
    return this.withLag(topic, group, async () => {
      this.clients.delete(consumer);
      await consumer.disconnect();
    });
  }

  /** A consumer's handle: the group's lag, polled from the admin, and its close. */
  private withLag(topic: string, group: string, close: () => Promise<void>): BackendConsumer {
    const lag: BrokerLag = { kind: 'offset-lag', value: null };
    let measuredAt = 0;
    const timer = this.poll(async () => {
      lag.value = await this.offsetLag(topic, group);
      measuredAt = Date.now();
    });
    // While the admin calls fail, the last figure soon says nothing about now: unknown.
    const staleMs = Math.max(5_000, 3 * this.o.lagPollMs);
    return {
      lag: () => ({ ...lag, value: Date.now() - measuredAt > staleMs ? null : lag.value }),
      close: async () => {
        clearInterval(timer);
        this.timers.delete(timer);
        await close();
      },
    };
  }

  async topicExists(topic: string): Promise<boolean> {
    return (await (await this.getAdmin()).listTopics()).includes(topic);
  }

  async markEnd(topic: string): Promise<ReadFrom> {
    const ends = await (await this.getAdmin()).fetchTopicOffsets(topic);
    return { offsets: Object.fromEntries(ends.map((p) => [String(p.partition), Number(p.high)])) };
  }

  /**
   * A group that never committed starts where the topic ends now, committed before the
   * consumer joins, so that no record written after this is skipped and none before it read.
   * A group with offsets (an engine restarted mid-run) resumes from them.
   */
  private async pinNewGroup(topic: string, group: string): Promise<void> {
    const admin = await this.getAdmin();
    const committed = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    if ((committed[0]?.partitions ?? []).some((p) => Number(p.offset) >= 0)) return;
    const ends = await admin.fetchTopicOffsets(topic);
    await admin.setOffsets({
      groupId: group,
      topic,
      partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })),
    });
    this.o.log('consumer group starts at the end of the existing topic', { topic, group });
  }

  async readAll(topic: string, onRecord: (r: Received) => void, from?: ReadFrom): Promise<void> {
    const admin = await this.getAdmin();
    const ends = new Map(
      (await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]),
    );
    const start = (p: number) => from?.offsets?.[String(p)] ?? 0;
    const waiting = new Set([...ends].filter(([p, high]) => high > start(p)).map(([p]) => p));
    if (waiting.size === 0) return;
    const groupId = `hunt-reader-${randomUUID()}`;
    // Past a retained history at once: the fresh group's offsets are where reading starts.
    const skip = [...waiting].filter((p) => start(p) > 0);
    if (skip.length > 0)
      await retriable(() =>
        admin.setOffsets({
          groupId,
          topic,
          partitions: skip.map((p) => ({ partition: p, offset: String(start(p)) })),
        }),
      );
    const consumer = await this.connect(this.kafka.consumer({ groupId, maxWaitTimeInMs: 100 }));
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`reading ${topic} took over 60 s`)), 60_000);
        void consumer.run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const offset = Number(message.offset);
            if (offset >= (ends.get(partition) ?? 0) || offset < start(partition)) return;
            onRecord({
              key: message.key?.toString() ?? '',
              value: message.value ?? Buffer.alloc(0),
              brokerTs: Number(message.timestamp),
              source: `${topic}/${partition}@${offset}`,
            });
            if (offset + 1 >= (ends.get(partition) ?? 0)) waiting.delete(partition);
            if (waiting.size === 0) {
              clearTimeout(t);
              resolve();
            }
          },
        });
      });
    } finally {
      this.clients.delete(consumer);
      await consumer.disconnect();
      await admin.deleteGroups([groupId]).catch(() => {});
    }
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers.clear();
    const all = [...this.clients];
    this.clients.clear();
    await Promise.allSettled(all.map((c) => c.disconnect()));
  }

  /** Committed-offset lag of the group: sum over partitions of high watermark − committed. */
  private async offsetLag(topic: string, group: string): Promise<number> {
    const admin = await this.getAdmin();
    const [ends, committed] = await Promise.all([
      admin.fetchTopicOffsets(topic),
      admin.fetchOffsets({ groupId: group, topics: [topic] }),
    ]);
    const done = new Map(
      (committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]),
    );
    return ends.reduce((sum, p) => {
      const c = done.get(p.partition) ?? -1;
      return sum + Number(p.high) - (c < 0 ? Number(p.low) : c);
    }, 0);
  }

  /** Runs `fn` every lagPollMs, never two at once; a failure leaves the last value as it was. */
  private poll(fn: () => Promise<void>): NodeJS.Timeout {
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      fn()
        .catch(() => {})
        .finally(() => {
          busy = false;
        });
    }, this.o.lagPollMs);
    timer.unref();
    this.timers.add(timer);
    return timer;
  }

  private getAdmin(): Promise<Admin> {
    this.admin ??= this.connect(this.kafka.admin());
    return this.admin;
  }

  private async connect<T extends Producer | Consumer | Admin>(client: T): Promise<T> {
    this.clients.add(client);
    await client.connect();
    return client;
  }
}

/**
 * @platformatic/kafka, loaded when a setting asks for it: it takes half a second of CPU and
 * tens of MB to load, which every command importing the drivers (`hunt report`) would pay.
 */
const platformatic = () => import('./platformatic.ts');

const NO_COORDINATOR = /GroupCoordinatorNotFound|COORDINATOR_NOT_AVAILABLE|NOT_COORDINATOR/;

type KafkaFailure = { name?: string; type?: string; retriable?: boolean; cause?: unknown };
const isRetriable = (e: KafkaFailure) => e.retriable === true;

/**
 * The failure and what it wraps: when kafkajs's own retries run out it throws
 * KafkaJSNumberOfRetriesExceeded, never retriable, with the broker's answer as its cause
 * (a fresh cluster's "coordinator is loading" arrives that way).
 */
function chain(e: unknown): KafkaFailure[] {
  const failures: KafkaFailure[] = [];
  for (let at = e; at && typeof at === 'object' && failures.length < 5; ) {
    failures.push(at as KafkaFailure);
    at = (at as KafkaFailure).cause;
  }
  return failures;
}

/** Calls `fn` again every `pauseMs` while its failure is one to wait out, for up to 30 s. */
async function retrying<T>(
  fn: () => Promise<T>,
  waitOut: (e: KafkaFailure) => boolean,
  pauseMs = 500,
): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (!chain(err).some(waitOut) || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  }
}

/** Retries a group call while the group's coordinator is not yet there, for up to 30 s. */
export const untilCoordinator = <T>(fn: () => Promise<T>, pauseMs = 500): Promise<T> =>
  retrying(fn, (e) => NO_COORDINATOR.test(`${e.name} ${e.type}`) || isRetriable(e), pauseMs);

/**
 * Retries what the broker calls retriable for up to 30 s: a new group's coordinator may
 * answer NOT_COORDINATOR for a while after the first call names it.
 */
const retriable = <T>(fn: () => Promise<T>): Promise<T> => retrying(fn, isRetriable);
