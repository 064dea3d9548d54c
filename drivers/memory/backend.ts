import type {
  Backend,
  BackendConsumer,
  BackendOptions,
  BackendProducer,
  BatchHandler,
  OutRecord,
  ReadFrom,
  Received,
} from '../../engine/backend.ts';

/** Faults a unit test can switch on to play a broken broker. */
export interface MemoryFaults {
  /** Every send rejects with this error. */
  sendError?: Error;
  /** Every send hangs until the fault is cleared (a blackholed broker). */
  hang?: boolean;
}

interface Topic {
  partitions: Received[][];
}

/**
 * An in-process broker: topics of partitions, consumer-group offsets. It is the no-broker
 * ceiling in benchmarks and the broker of unit tests.
 */
export class MemoryBroker {
  readonly topics = new Map<string, Topic>();
  readonly committed = new Map<string, number[]>();
  faults: MemoryFaults = {};
  private waiters: (() => void)[] = [];

  topic(name: string, partitions = 4): Topic {
    let t = this.topics.get(name);
    if (!t) {
      t = { partitions: Array.from({ length: partitions }, () => []) };
      this.topics.set(name, t);
    }
    return t;
  }

  append(name: string, records: OutRecord[]): void {
    const t = this.topic(name);
    for (const r of records) {
      const p = hashKey(r.key) % t.partitions.length;
      const part = t.partitions[p]!;
      part.push({
        key: r.key,
        value: r.value,
        brokerTs: r.ts,
        source: `${name}/${p}@${part.length}`,
      });
    }
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves on the next append, or after `ms`. */
  waitForData(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** Lets hung sends continue once `hang` is cleared. */
  async whileHung(): Promise<void> {
    while (this.faults.hang) await new Promise((r) => setTimeout(r, 20));
  }
}

/** How long a consumer waits, once data arrived, before it reads its batch. */
const MEMORY_FETCH_LINGER_MS = 50;

export function hashKey(key: string): number {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (Math.imul(h, 31) + key.charCodeAt(i)) >>> 0;
  return h;
}

export class MemoryBackend implements Backend {
  readonly name = 'memory';
  readonly noun = 'topic';
  private readonly consumers = new Set<{ stop: () => Promise<void> }>();

  constructor(
    _opts: BackendOptions,
    readonly broker = new MemoryBroker(),
  ) {}

  async ensureTopic(topic: string, partitions: number): Promise<void> {
    this.broker.topic(topic, partitions);
  }

  async createProducer(topic: string): Promise<BackendProducer> {
    const broker = this.broker;
    return {
      async send(records) {
        await broker.whileHung();
        if (broker.faults.sendError) throw broker.faults.sendError;
        broker.append(topic, records);
        return records.map(() => undefined);
      },
      // The in-memory broker has no quota: it never throttles.
      throttle: () => ({ records: 0, ms: 0 }),
    };
  }

  async createConsumer(
    topic: string,
    group: string,
    handler: BatchHandler,
  ): Promise<BackendConsumer> {
    const t = this.broker.topic(topic);
    const key = `${group}:${topic}`;
    const offsets = this.broker.committed.get(key) ?? t.partitions.map(() => 0);
    this.broker.committed.set(key, offsets);
    let running = true;
    // One loop per partition, as the Kinesis consumer polls each shard: one stuck batch
    // holds only its own partition.
    const one = async (p: number) => {
      while (running) {
        const batch = t.partitions[p]!.slice(offsets[p], offsets[p]! + 500);
        if (batch.length > 0) {
          try {
            await handler(batch, async () => {});
          } catch (e) {
            if (!running) return; // handed back uncommitted by a stop
            throw e;
          }
          offsets[p]! += batch.length;
          continue;
        }
        // Idle: wait for data, then linger as a Kafka fetch waits (maxWaitTimeInMs), so that
        // a batch, and its fulfillment call, carries tens of events rather than one or two
        // (shorter than Kafka's wait: the unit tests wait for deliveries).
        await this.broker.waitForData(50);
        await new Promise((r) => setTimeout(r, MEMORY_FETCH_LINGER_MS));
      }
    };
    const loop = Promise.all(t.partitions.map((_, p) => one(p)));
    const stopper = {
      stop: async () => {
        running = false;
        await loop;
      },
    };
    this.consumers.add(stopper);
    return {
      lag: () => ({
        kind: 'offset-lag',
        value: t.partitions.reduce((sum, part, p) => sum + part.length - offsets[p]!, 0),
      }),
      close: async () => {
        this.consumers.delete(stopper);
        await stopper.stop();
      },
    };
  }

  async topicExists(topic: string): Promise<boolean> {
    return this.broker.topics.has(topic);
  }

  async markEnd(topic: string): Promise<ReadFrom> {
    const parts = this.broker.topic(topic).partitions;
    return { offsets: Object.fromEntries(parts.map((p, i) => [String(i), p.length])) };
  }

  async readAll(topic: string, onRecord: (r: Received) => void, from?: ReadFrom): Promise<void> {
    for (const [i, part] of this.broker.topic(topic).partitions.entries())
      for (const r of part.slice(from?.offsets?.[String(i)] ?? 0)) onRecord(r);
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.stop()));
    this.consumers.clear();
  }
}
