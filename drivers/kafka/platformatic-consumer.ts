import { once } from 'node:events';
import {
  Consumer,
  type Message,
  type MessagesStream,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
} from '@platformatic/kafka';
import type { BatchHandler, Received } from '../../engine/backend.ts';
import type { KafkaBackendOptions } from './options.ts';
import { platformaticSecurity } from './security.ts';

type Msg = Message<Buffer, Buffer, Buffer, Buffer>;
type Stream = MessagesStream<Buffer, Buffer, Buffer, Buffer>;

/** How long a consumer whose handler failed waits before it reads again from the committed offsets. */
const RESTART_MS = 500;

/**
 * The Kafka consumer on @platformatic/kafka (setting `kafkaConsumer: platformatic`), the same
 * contract as the kafkajs one: a group member that starts at the committed offsets (the
 * topic's start without any), hands the engine one partition's records in order, partitions
 * side by side, and commits a partition's last offset only after the engine's handler
 * resolved. A handler that fails leaves its batch uncommitted: the consumer reads again from
 * the committed offsets, as kafkajs does when a batch throws. The client heartbeats on its own
 * timer, so a waiting handler keeps its membership without help.
 */
export class PlatformaticConsumer {
  private readonly consumer: Consumer<Buffer, Buffer, Buffer, Buffer>;
  private stream: Stream | undefined;
  private closing = false;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly o: KafkaBackendOptions,
    group: string,
  ) {
    this.consumer = new Consumer({
      clientId: o.clientId,
      bootstrapBrokers: o.endpoints,
      groupId: group,
      autocommit: false,
      // As the kafkajs consumer: fetch at most every 100 ms unless 64 KiB are waiting, so
      // that a batch, and its fulfillment call and commit, carries many events.
      minBytes: 64 * 1024,
      maxWaitTime: 100,
      connectTimeout: Math.min(3000, o.requestTimeoutMs),
      requestTimeout: o.requestTimeoutMs,
      retries: 2,
      retryDelay: 100,
      ...platformaticSecurity(o.kafkaSecurity),
    });
  }

  /** Joins the group on `topic` and feeds `handler` until close(). */
  async start(topic: string, handler: BatchHandler): Promise<void> {
    this.stream = await this.consume(topic);
    this.loop = this.run(topic, handler).catch((err) =>
      this.o.log('kafka consumer: stopped', { error: String(err) }),
    );
  }

  private async consume(topic: string): Promise<Stream> {
    const stream = await this.consumer.consume({
      topics: [topic],
      mode: MessagesStreamModes.COMMITTED,
      fallbackMode: MessagesStreamFallbackModes.EARLIEST,
      autocommit: false,
    });
    stream.on('error', (err) => this.o.log(`kafka consumer: ${err.message}`));
    return stream;
  }

  private async run(topic: string, handler: BatchHandler): Promise<void> {
    while (!this.closing) {
      const stream = this.stream!;
      let batch: Msg[];
      try {
        batch = await this.next(stream);
      } catch (err) {
        // The stream failed (a fetch out of retries while the broker is unreachable).
        if (!this.closing) await this.restart(stream, topic, String(err));
        continue;
      }
      if (batch.length === 0) {
        // The stream ended without a close (the client gave up on it): read on with a new one.
        if (!this.closing) await this.restart(stream, topic, 'the stream ended');
        continue;
      }
      const byPartition = new Map<number, Msg[]>();
      for (const m of batch) {
        const list = byPartition.get(m.partition);
        if (list) list.push(m);
        else byPartition.set(m.partition, [m]);
      }
      const outcomes = await Promise.allSettled(
        [...byPartition.values()].map(async (messages) => {
          const records: Received[] = messages.map((m) => ({
            key: m.key?.toString() ?? '',
            value: m.value ?? Buffer.alloc(0),
            brokerTs: Number(m.timestamp),
            source: `${topic}/${m.partition}@${m.offset}`,
          }));
          await handler(records, async () => {});
          await messages.at(-1)!.commit();
        }),
      );
      const failed = outcomes.find((r) => r.status === 'rejected');
      // Records past the failed batch were fetched already: read again from the committed offsets.
      if (failed && !this.closing) await this.restart(stream, topic, String(failed.reason));
    }
  }

  private async restart(stream: Stream, topic: string, why: string): Promise<void> {
    this.o.log('kafka consumer: reading again from the committed offsets', { why });
    await stream.close().catch(() => {});
    await new Promise((r) => setTimeout(r, RESTART_MS));
    while (!this.closing) {
      try {
        this.stream = await this.consume(topic);
        return;
      } catch (err) {
        this.o.log('kafka consumer: cannot consume yet', { error: String(err) });
        await new Promise((r) => setTimeout(r, RESTART_MS));
      }
    }
  }

  /** Every message the stream holds now, waiting for the first; empty when it ended or closing. */
  private async next(stream: Stream): Promise<Msg[]> {
    const batch: Msg[] = [];
    for (;;) {
      for (let m = stream.read() as Msg | null; m !== null; m = stream.read() as Msg | null)
        batch.push(m);
      if (batch.length > 0 || this.closing || stream.destroyed || stream.readableEnded)
        return batch;
      // One wait's listeners are removed when it ends, whichever event ended it.
      const done = new AbortController();
      const { signal } = done;
      await Promise.race([
        once(stream, 'readable', { signal }),
        once(stream, 'close', { signal }),
        this.closed,
      ]).finally(() => done.abort());
    }
  }

  private wake: () => void = () => {};
  private readonly closed = new Promise<void>((r) => {
    this.wake = r;
  });

  /** Lets the in-flight batch finish and commit, then leaves the group. */
  async close(): Promise<void> {
    this.closing = true;
    this.wake();
    await this.loop.catch(() => {});
    await this.stream?.close().catch(() => {});
    await this.consumer.close().catch((err) => this.o.log(`kafka consumer: close: ${err}`));
  }
}
