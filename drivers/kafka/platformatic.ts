import {
  compatibilityPartitioner,
  connectionsApiChannel,
  ProduceAcks,
  Producer,
} from '@platformatic/kafka';
import type { OutRecord, ProducerThrottle } from '../../engine/backend.ts';
import type { KafkaBackendOptions } from './options.ts';
import { platformaticSecurity } from './security.ts';

/**
 * The Kafka producer on @platformatic/kafka (setting `kafkaProducer: platformatic`), the same
 * contract as kafka-producer.ts: acks=all, idempotent (the client keeps one request in flight
 * per connection), a send resolves on the broker's ack. After a failed send the client itself
 * drops its producer id and sequences, so the next send starts a new idempotent session:
 * what kafka-producer.ts does by hand for kafkajs. Keys go to partitions as the Java client
 * and kafkajs put them (murmur2, positive), so both clients agree on a key's partition.
 */
/** Kafka's API key of Produce. */
const PRODUCE = 0;

interface ApiCall {
  apiKey?: number;
  connection?: { ownerId?: number };
  result?: { throttleTimeMs?: number };
}

export class PlatformaticProducer {
  private readonly producer: Producer<Buffer, Buffer, Buffer, Buffer>;
  private throttleMs = 0;
  /**
   * The client does not wait out a produce answer's throttle_time_ms itself (the broker mutes
   * the connection for that long, so its next request waits there); it shows the answer on a
   * diagnostics channel, where this producer's own produce answers are summed.
   */
  private readonly onApi = (message: unknown) => {
    const m = message as ApiCall;
    if (m.apiKey !== PRODUCE || m.connection?.ownerId !== this.producer.instanceId) return;
    const ms = m.result?.throttleTimeMs ?? 0;
    if (ms > 0) this.throttleMs += ms;
  };

  constructor(o: KafkaBackendOptions) {
    this.producer = new Producer({
      clientId: o.clientId,
      bootstrapBrokers: o.endpoints,
      idempotent: true,
      acks: ProduceAcks.ALL,
      autocreateTopics: false,
      partitioner: compatibilityPartitioner,
      connectTimeout: Math.min(3000, o.requestTimeoutMs),
      requestTimeout: o.requestTimeoutMs,
      timeout: o.requestTimeoutMs,
      // Few, quick retries: the engine's breaker decides what happens next.
      retries: 2,
      retryDelay: 100,
      ...platformaticSecurity(o.kafkaSecurity),
    });
    connectionsApiChannel.asyncStart.subscribe(this.onApi);
  }

  /** Throttle time only: its sends run side by side, so a throttled answer names no records. */
  throttle(): ProducerThrottle {
    return { records: null, ms: this.throttleMs };
  }

  /** Starts the idempotent session, so that a broker that cannot take one fails at start. */
  async ready(): Promise<void> {
    await this.producer.initIdempotentProducer({});
  }

  async send(topic: string, records: OutRecord[]): Promise<(Error | undefined)[]> {
    await this.producer.send({
      messages: records.map((r) => ({
        topic,
        key: Buffer.from(r.key),
        value: r.value,
        timestamp: BigInt(r.ts),
      })),
    });
    return records.map(() => undefined);
  }

  close(): Promise<void> {
    connectionsApiChannel.asyncStart.unsubscribe(this.onApi);
    return this.producer.close();
  }
}
