import {
  type ICustomPartitioner,
  type Kafka,
  type LogEntry,
  logLevel,
  Partitioners,
  type Producer,
} from 'kafkajs';
import type { OutRecord, ProducerThrottle } from '../../engine/backend.ts';

/**
 * Idempotent (KIP-98): the broker drops a retried batch it already wrote, so a retry after a
 * lost response neither duplicates nor reorders. kafkajs needs one request in flight per
 * connection for that. Its retries stay few (the engine's breaker decides what happens next).
 */
export const PRODUCER_CONFIG = {
  allowAutoTopicCreation: false,
  idempotent: true,
  maxInFlightRequests: 1,
  retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
} as const;

const THROTTLE_NOTICE = /^Client side throttling in effect for (\d+)ms/;

/**
 * Broker throttling as kafkajs meets it. A produce answer (v6+, KIP-219) carries the quota's
 * throttle_time_ms and kafkajs holds the connection's next request until it passed; it says so
 * only in a debug line, so the producer's client logs at debug and this counts those lines.
 */
export class ThrottleWatch {
  /** Throttle notices so far, and the throttle time they named, ms. */
  notices = 0;
  ms = 0;
  /** Records of sends during which a throttle notice came. */
  records = 0;

  /** A kafkajs logCreator: counts throttle notices, hands errors on as before. */
  logCreator(forward: (e: LogEntry) => void): () => (e: LogEntry) => void {
    return () => (e) => {
      const m = THROTTLE_NOTICE.exec(e.log.message);
      if (m) {
        this.notices++;
        this.ms += Number(m[1]);
      } else if (e.level === logLevel.ERROR) forward(e);
    };
  }

  get figures(): ProducerThrottle {
    return { records: this.records, ms: this.ms };
  }
}

/**
 * One kafkajs producer for every topic (it batches per broker connection anyway), replaced
 * after a send that failed. kafkajs rolls a failed batch's sequence numbers back, so the next
 * send would reuse them: had the failed batch been written after all, the broker would take
 * a next batch of the same size for its duplicate and drop it while acking (or refuse every
 * later batch as out of order). A new producer gets a new producer id and fresh sequences.
 */
interface Generation {
  producer: Promise<Producer>;
  /** Sends in progress on it; a retired producer is disconnected once they are over. */
  busy: number;
  retired: boolean;
  closed?: boolean;
}

export class IdempotentProducer {
  private current: Generation | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly track: (p: Producer) => Promise<Producer>,
    private readonly untrack: (p: Producer) => Promise<void>,
    /** Fed by `kafka`'s logCreator; sends are one at a time, so a notice belongs to the send under way. */
    readonly throttle: ThrottleWatch = new ThrottleWatch(),
  ) {}

  /** Connects the first producer, so that a broker that cannot take one fails at start. */
  async ready(): Promise<void> {
    await this.get().producer;
  }

  /**
   * One send at a time. kafkajs gives a batch its sequence numbers when it is sent and rolls
   * them back when the send fails; a second send already under way on the same producer
   * would then reuse them, and if the failed batch was written after all (a leader that
   * failed over mid-request), the broker takes the second batch for its duplicate: acked,
   * never written. Sending one batch at a time, on a producer replaced after any failure,
   * closes that window; the batcher still fills each send with up to maxBatch records.
   */
  send(topic: string, records: OutRecord[]): Promise<(Error | undefined)[]> {
    const sent = this.queue.then(() => this.sendNow(topic, records));
    this.queue = sent.catch(() => {});
    return sent;
  }

  private queue: Promise<unknown> = Promise.resolve();

  /**
   * The partitions kafkajs chose for the send under way. When a send's request to one broker
   * fails and the retry finds a partition's leader moved to a broker that already answered for
   * other partitions, kafkajs skips that broker (kafkajs/src/producer/sendMessages.js keeps its
   * answer) and resolves the send with no answer for the partition: acked, never written. Every
   * partition chosen must be in the answer, or the send failed.
   */
  private readonly partitions = new Set<number>();
  private readonly partitioner: ICustomPartitioner = () => {
    const choose = Partitioners.DefaultPartitioner();
    return (args) => {
      const partition = choose(args);
      this.partitions.add(partition);
      return partition;
    };
  };

  private async sendNow(topic: string, records: OutRecord[]): Promise<(Error | undefined)[]> {
    const g = this.get();
    g.busy++;
    const notices = this.throttle.notices;
    this.partitions.clear();
    try {
      const written = await (await g.producer).send({
        topic,
        acks: -1,
        messages: records.map((r) => ({ key: r.key, value: r.value, timestamp: String(r.ts) })),
      });
      const answered = new Set(
        written.filter((w) => w.topicName === topic).map((w) => w.partition),
      );
      const unwritten = [...this.partitions].filter((p) => !answered.has(p));
      if (unwritten.length > 0)
        throw new Error(
          `kafkajs resolved a send with no answer for partition ${unwritten.join(', ')} (its leader moved mid-send)`,
        );
      return records.map(() => undefined);
    } catch (e) {
      this.retire(g);
      throw e;
    } finally {
      if (this.throttle.notices > notices) this.throttle.records += records.length;
      g.busy--;
      this.release(g);
    }
  }

  private get(): Generation {
    if (!this.current) {
      const g: Generation = {
        producer: this.track(
          this.kafka.producer({ ...PRODUCER_CONFIG, createPartitioner: this.partitioner }),
        ),
        busy: 0,
        retired: false,
      };
      // A producer that could not connect is not kept: the next send tries a new one.
      g.producer.catch(() => this.retire(g));
      this.current = g;
    }
    return this.current;
  }

  private retire(g: Generation): void {
    g.retired = true;
    if (this.current === g) this.current = undefined;
    this.release(g);
  }

  private release(g: Generation): void {
    if (!g.retired || g.busy > 0 || g.closed) return;
    g.closed = true;
    g.producer.then((p) => this.untrack(p)).catch(() => {});
  }
}
