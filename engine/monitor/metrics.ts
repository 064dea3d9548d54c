import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { BrokerLag } from '../backend.ts';
import type { BreakerBoard, BreakerState } from './breakers.ts';
import type { Counters, Tally } from './counters.ts';

export interface MetricSources {
  counters: Counters;
  breakers: BreakerBoard;
  brokerLag: () => BrokerLag | null;
  queueDepth: () => number;
  alertsFiring: () => Record<string, boolean>;
}

export const BREAKER_STATE_VALUE: Record<BreakerState, number> = {
  closed: 0,
  open: 1,
  'half-open': 2,
  isolated: 3,
};

const LATENCY_BUCKETS_S = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];

/**
 * The engine's Prometheus metrics (prefix `hunt_`) on a registry passed in. Counts are read
 * from `Counters` at scrape time so the hot path stays a plain increment; latencies are
 * observed as they happen.
 */
export function createMetrics(registry: Registry, s: MetricSources) {
  const registers = [registry];
  const total = (name: string, help: string, read: () => number) =>
    new Counter({
      name,
      help,
      registers,
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  const byReason = (name: string, help: string, tally: Tally) =>
    new Counter({
      name,
      help,
      labelNames: ['reason'],
      registers,
      collect() {
        this.reset();
        for (const [reason, n] of Object.entries(tally.byReason)) this.inc({ reason }, n);
      },
    });
  const c = s.counters;
  total('hunt_events_accepted_total', 'Events answered 202 after the broker ack', () => c.accepted);
  total('hunt_events_published_total', 'Records acknowledged by the broker', () => c.published);
  total('hunt_events_consumed_total', 'Records received by the consumer', () => c.consumed);
  total('hunt_events_delivered_total', 'Events applied or dead-lettered', () => c.delivered);
  total('hunt_events_duplicate_total', 'Redelivered events, applied once', () => c.duplicates);
  byReason('hunt_events_dead_lettered_total', 'Events written to the DLQ', c.dlq);
  byReason('hunt_events_shed_total', 'Requests shed with 503', c.shed);
  byReason('hunt_http_rejected_total', 'Requests refused with 4xx, by error code', c.rejected);

  new Gauge({
    name: 'hunt_backlog_events',
    help: 'Accepted minus delivered events',
    registers,
    collect() {
      this.set(c.backlog);
    },
  });
  new Gauge({
    name: 'hunt_consumer_lag',
    help: 'Consumer lag behind the broker: kind offset-lag in records (Kafka), age-ms in ms since the oldest unprocessed record arrived (Kinesis)',
    labelNames: ['kind'],
    registers,
    collect() {
      this.reset();
      const lag = s.brokerLag();
      if (lag?.value != null) this.set({ kind: lag.kind }, lag.value);
    },
  });
  new Gauge({
    name: 'hunt_producer_queue_depth',
    help: 'Records queued or in flight to the broker',
    registers,
    collect() {
      this.set(s.queueDepth());
    },
  });
  new Gauge({
    name: 'hunt_breaker_state',
    help: 'Breaker state: 0 closed, 1 open, 2 half-open, 3 isolated',
    labelNames: ['breaker'],
    registers,
    collect() {
      for (const [breaker, v] of Object.entries(s.breakers.view())) {
        this.set({ breaker }, BREAKER_STATE_VALUE[v.state]);
      }
    },
  });
  new Counter({
    name: 'hunt_breaker_opens_total',
    help: 'Times a breaker opened',
    labelNames: ['breaker'],
    registers,
    collect() {
      this.reset();
      for (const [breaker, v] of Object.entries(s.breakers.view())) this.inc({ breaker }, v.opens);
    },
  });
  new Gauge({
    name: 'hunt_alerts_firing',
    help: 'Alerts firing (1) or not (0)',
    labelNames: ['alert'],
    registers,
    collect() {
      for (const [alert, on] of Object.entries(s.alertsFiring())) this.set({ alert }, on ? 1 : 0);
    },
  });

  return {
    http: new Histogram({
      name: 'hunt_http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS_S,
      registers,
    }),
    publish: new Histogram({
      name: 'hunt_publish_latency_seconds',
      help: 'Request enqueued to broker ack',
      buckets: LATENCY_BUCKETS_S,
      registers,
    }),
    e2e: new Histogram({
      name: 'hunt_e2e_latency_seconds',
      help: 'Event publish timestamp to applied by the consumer',
      buckets: LATENCY_BUCKETS_S,
      registers,
    }),
  };
}
export type EngineMetrics = ReturnType<typeof createMetrics>;
