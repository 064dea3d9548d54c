import type { BackendName, BrokerLag } from './backend.ts';
import type { DownstreamCounts } from './consumer/downstream.ts';
import type { DesignName, Switches } from './designs.ts';
import type { AlertView } from './monitor/alerts.ts';
import type { BreakerView } from './monitor/breakers.ts';

/** Counts by reason, e.g. `{ total: 3, byReason: { 'price-mismatch': 3 } }`. */
export interface ReasonCounts {
  total: number;
  byReason: Record<string, number>;
}

/**
 * `GET /status`: the engine's state for the collector, the audit and people. Versioned by
 * `schema`; fields are only ever added.
 */
export interface EngineStatus {
  schema: 1;
  backend: BackendName;
  /** The run id the engine was started with (`--set runId=`), or null. */
  runId: string | null;
  /** The design preset the engine was started with (engine/designs.ts). */
  design: DesignName;
  /** The resolved switches: the preset's, each overridden by an explicitly set one. */
  switches: Switches;
  topic: string;
  dlqTopic: string;
  state: 'running' | 'stopping';
  /** False for a producer-only instance (`consume: false`): its broker lag is null, its backlog all it accepted. */
  consuming: boolean;
  startedAt: number;
  now: number;
  counts: {
    /** Answered 202 after the broker's ack. */
    accepted: number;
    /** Acknowledged by the broker (main topic). */
    published: number;
    /** Received by the consumer, redeliveries included. */
    consumed: number;
    /** Applied to the read model or dead-lettered. */
    delivered: number;
    applied: number;
    /** DLQ entries re-driven and applied (already counted in delivered). */
    redriven: number;
    duplicates: number;
    dlq: ReasonCounts;
    shed: ReasonCounts;
    /** 4xx answers by error code. */
    rejected: ReasonCounts;
    /** 5xx answers that were not sheds (publish-timeout, broker-unavailable, ...). */
    failed: ReasonCounts;
    /** HTTP calls to the fulfillment service (retries included), retries, failed calls. */
    downstream: DownstreamCounts;
  };
  backlog: {
    /** accepted − delivered */
    events: number;
    /** Consumer lag apart from the counts: Kafka `offset-lag` (records) or Kinesis `age-ms` (backends/types.ts); null when unknown. */
    broker: BrokerLag | null;
    /** Records queued or in flight to the broker. */
    producerQueue: number;
    /** True while the consumer waits for the downstream breaker. */
    consumerPaused: boolean;
    /** Partitions / shards held by a poison event (design switch `dlq` off); 0 otherwise. */
    blockedPartitions: number;
  };
  /** Broker-imposed throttling the producer met, cumulative since the engine started. */
  producer: {
    /**
     * Records the broker throttled or refused for capacity: Kinesis ProvisionedThroughputExceeded
     * per record and attempt; Kafka records of produce answers with throttle_time_ms > 0. Null:
     * the backend cannot tell.
     */
    throttled: number | null;
    /** Throttle time the broker imposed, ms (Kafka); null where the backend cannot tell. */
    throttleMs: number | null;
  };
  breakers: Record<string, BreakerView>;
  alerts: AlertView[];
}

export type { AlertView, BreakerView, BrokerLag, DesignName, DownstreamCounts, Switches };
