/**
 * The backend seam, kept as small as OpenMessaging Benchmark's driver API: create a topic,
 * a producer whose send resolves on the broker's ack, and a consumer that pushes batches
 * to the engine and commits only after the engine's handler resolved. The engine, not the
 * backend, measures latency and decides what is poison.
 */
/** A driver's name (drivers/registry.ts). */
export type BackendName = string;

export interface OutRecord {
  /** Partition key (the event's huntId). */
  key: string;
  value: Buffer;
  /** Publish time in ms; Kafka stores it as the record timestamp. */
  ts: number;
}

export interface BackendProducer {
  /**
   * One broker call for many records (Kafka sendBatch, Kinesis PutRecords). Resolves with one
   * outcome per record, `undefined` meaning acknowledged; rejects if the whole call failed.
   */
  send(records: OutRecord[]): Promise<(Error | undefined)[]>;
  /** What the broker throttled so far (cumulative); absent: the backend cannot tell. */
  throttle?(): ProducerThrottle;
}

/**
 * Broker-imposed throttling seen by the producer, cumulative. `records`: records the broker
 * throttled or refused for capacity (Kinesis ProvisionedThroughputExceeded per record and
 * attempt; Kafka records of a produce answered with throttle_time_ms > 0); `ms`: the throttle
 * time the broker imposed (Kafka), null where the backend cannot tell. Either is null when unknown.
 */
export interface ProducerThrottle {
  records: number | null;
  ms: number | null;
}

export interface Received {
  key: string;
  value: Buffer;
  /** Broker-side timestamp, used when the value cannot be decoded. */
  brokerTs: number;
  /** Where it came from, e.g. `topic/3@1200` or `stream/shardId-000@4955...`; for DLQ entries. */
  source: string;
}

/**
 * Applies a batch of one partition/shard in order. It resolves once every record was applied
 * or dead-lettered; only then does the backend commit. `keepAlive` lets a handler that waits
 * (a paused downstream) keep its group membership.
 */
export type BatchHandler = (batch: Received[], keepAlive: () => Promise<void>) => Promise<void>;

/**
 * How far the consumer is behind the broker, apart from the engine's own counts.
 * `offset-lag` (Kafka, memory): records between the committed offsets and the partitions' ends.
 * `age-ms` (Kinesis, which has no record counts): ms since the oldest record not yet
 * checkpointed arrived, 0 once a read found nothing more. Both are 0 exactly when caught up.
 */
export interface BrokerLag {
  kind: 'offset-lag' | 'age-ms';
  /** null until the first measurement, and when the last one is too old to trust. */
  value: number | null;
}

export interface BackendConsumer {
  lag(): BrokerLag;
  /** Stops fetching, lets the in-flight batch finish, commits, leaves the group. */
  close(): Promise<void>;
}

/**
 * Where a reader starts: Kafka, the first offset per partition; Kinesis, the first record
 * arrived at or after `atMs` (AT_TIMESTAMP). Absent: the start of the topic/stream.
 */
export interface ReadFrom {
  offsets?: Record<string, number>;
  atMs?: number;
}

export interface Backend {
  readonly name: BackendName;
  /** What the broker calls the log the engine writes: topic, stream. */
  readonly noun: string;
  ensureTopic(topic: string, partitions: number): Promise<void>;
  /** Whether the topic/stream exists; nothing is created. */
  topicExists(topic: string): Promise<boolean>;
  /** The topic's current end, as a ReadFrom: what a reader starting now would read first. */
  markEnd(topic: string): Promise<ReadFrom>;
  createProducer(topic: string): Promise<BackendProducer>;
  createConsumer(topic: string, group: string, handler: BatchHandler): Promise<BackendConsumer>;
  /** Reads a topic from its start (or `from`) to its current end (`hunt dlq`, the audit). */
  readAll(topic: string, onRecord: (r: Received) => void, from?: ReadFrom): Promise<void>;
  /** Closes every client this backend created. */
  close(): Promise<void>;
}

/** What every backend is built with; a driver's own options extend it (drivers/<name>/). */
export interface BackendOptions {
  /** Where the broker is: its bootstrap servers or its endpoint URL (none: the service's own). */
  endpoints: string[];
  clientId: string;
  /** How long one broker request may take before it counts as failed. */
  requestTimeoutMs: number;
  /**
   * Where a consumer group without committed offsets (Kinesis: without checkpoints) starts:
   * `earliest` (default), or `now`, the consumer's first start, for a topic with a history.
   */
  startAt?: 'earliest' | 'now';
  /** The cloud region of a managed service; ignored where it means nothing. */
  region: string;
  /** Where a backend without broker-side offsets keeps its checkpoints. */
  checkpointDir?: string;
  /** How often the consumer asks the broker for its lag, ms. */
  lagPollMs: number;
  log: (msg: string, fields?: Record<string, unknown>) => void;
}
