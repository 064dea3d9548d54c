/**
 * The results directory's versioned schema: one source imported by every writer
 * (engine, collector, chaos runner, audit, `hunt run`) and every reader (report, gate).
 *
 * results/<run-id>/
 *   run.json          RunManifest
 *   fidelity-check.json  FidelityCheck (Kinesis): the service model measured against its profile
 *   summary.json      Summary
 *   timeline.ndjson   one TimelinePoint per line, 1 Hz
 *   chaos.json        ChaosRecord
 *   audit.json        Audit
 *   k6-summary.json   k6's own end-of-test summary (handleSummary)
 *   k6-samples.csv.gz k6 per-request samples (CSV output)
 *   histograms/       HDR interval histograms (engine e2e, publish): see HISTOGRAM_FILES
 *   fulfilled.ndjson  the fulfillment service's record, one line per first fulfilment of an
 *                     event: {id, type, ts, fulfilledAt, priceCents?} (engine/fulfillment/record.ts)
 *   logs/             engine, fulfillment, chaos, k6 logs
 */
import { z } from 'zod';
import { RunFidelity } from './fidelity-schema.ts';

/** 2: HTTP percentiles of accepted writes only, unknowns as null, the audit witnessed by k6. */
export const SCHEMA_VERSION = 2;

/**
 * Engine HDR histograms: one HdrHistogram log (.hlog, the format of hdr-histogram-js's
 * HistogramLogWriter: one base64-compressed interval histogram per line) per metric.
 * Values are integer microseconds, so sub-millisecond latencies keep 3 significant digits.
 */
export const HISTOGRAM_FILES = {
  e2e: 'histograms/e2e.hlog',
  publish: 'histograms/publish.hlog',
} as const;
export const HDR_SIGNIFICANT_DIGITS = 3;

const ms = z.number().nonnegative();
export const Percentiles = z.strictObject({ p50: ms, p90: ms, p99: ms, p999: ms, max: ms });
export type Percentiles = z.infer<typeof Percentiles>;

/** A driver's name (drivers/registry.ts): results name their broker, the contract does not fix which. */
export const Backend = z.string().min(1);
export type Backend = z.infer<typeof Backend>;

export const BudgetResult = z.strictObject({
  name: z.string(),
  limit: z.number(),
  value: z.number().nullable(),
  pass: z.boolean(),
});
export type BudgetResult = z.infer<typeof BudgetResult>;

const count = z.number().int().nonnegative();
/** A count of orders and what they were worth at the catalogue's prices (null: a price unknown). */
export const SalesLoss = z.strictObject({ orders: count, cents: count.nullable() });
export type SalesLoss = z.infer<typeof SalesLoss>;

/**
 * The incident's symptoms, one figure each; null is unknown (never 0), with the reason
 * beside it where one is known. See docs/method.md.
 */
export const Symptoms = z.strictObject({
  /** From the backlog crossing backlogCritical to HuntBacklogCritical firing. */
  detect: z.strictObject({
    thresholdEvents: z.number().nonnegative().nullable(),
    crossedAtS: z.number().nonnegative().nullable(),
    firedAtS: z.number().nonnegative().nullable(),
    lagS: z.number().nonnegative().nullable(),
    /** Why lagS is null: the backlog never crossed, the alert never fired, no threshold known. */
    reason: z.string().nullable(),
  }),
  /** What the downstream (fulfillment) was offered and served, and the engine's retries. */
  cascade: z.strictObject({
    offered: count.nullable(),
    served: count.nullable(),
    /** (5xx + 4xx + timed out + refused) / offered. */
    errorRate: z.number().nonnegative().nullable(),
    retries: count.nullable(),
    retriesPerEvent: z.number().nonnegative().nullable(),
  }),
  /** Orders (k6's POST /orders, poison excluded) that failed as sales. */
  sales: z.strictObject({
    promiseMs: z.number().positive(),
    /** Distinct order ids k6 sent. */
    orders: count.nullable(),
    /** Never answered 202. */
    notAccepted: SalesLoss.nullable(),
    /** Answered 202 and absent from fulfilled.ndjson. */
    notFulfilled: SalesLoss.nullable(),
    /** Fulfilled later than promiseMs after the order. */
    late: SalesLoss.nullable(),
    /** The sum of the three; null when any is unknown. */
    atRiskCents: count.nullable(),
  }),
});
export type Symptoms = z.infer<typeof Symptoms>;

/** One k6 agent's share of a run's load, from its own samples, summary and CPU samples. */
export const AgentRow = z.strictObject({
  agent: z.number().int().nonnegative(),
  /** The host it ran on through the agent command; null: on this machine. */
  host: z.string().nullable(),
  /** HTTP answers in its samples; null when it left no samples. */
  requests: count.nullable(),
  accepted: count.nullable(),
  /** Arrivals it could not start (its summary's, else its samples'); null: unknown. */
  droppedIterations: count.nullable(),
  /** CPU (% of one core) of its k6 process over the load, from the 1 Hz samples; null: not sampled (a remote agent). */
  cpuPct: z
    .strictObject({ mean: z.number().nonnegative(), max: z.number().nonnegative() })
    .nullable(),
  /** k6's exit code (99: its own share breached a threshold); null: unknown. */
  exit: z.number().int().nullable(),
});
export type AgentRow = z.infer<typeof AgentRow>;

export const Summary = z.strictObject({
  schema: z.literal(SCHEMA_VERSION),
  runId: z.string(),
  backend: Backend,
  scenario: z.string(),
  plan: z.string(),
  /** The engine design (`hardened`, `naive`) and its switches; null when the engine did not say. */
  design: z.string().nullable(),
  switches: z.record(z.string(), z.boolean()).nullable(),
  /**
   * The matrix configuration the run belongs to (`hunt compare`: the design's name in the
   * matrix); absent for a run outside a matrix. Rows are keyed by it, so two configurations
   * of one design under two names stay two rows (an A/A comparison).
   */
  configuration: z.string().optional(),
  /** The host's 1-minute load average exceeded its cores when the run started; null: unknown. */
  hostBusy: z.boolean().nullable(),
  durationS: z.number().nonnegative(),
  /** Whether the run reached its end; false after SIGINT/SIGTERM or a failed step. */
  complete: z.boolean(),
  /**
   * Incomplete only because the backlog outlasted the drain timeout: its figures stand, the
   * time to drain is censored (backlog.drained false). Absent: not recorded.
   */
  undrainedOnly: z.boolean().optional(),
  // A count is null when what holds it (the audit, the engine's status, the timeline) could
  // not be read: unknown, never 0, and every reader shows it so and fails its budget.
  /** Ids k6 got a 202 for (the audit's), else the engine's count; null: neither was read. */
  accepted: z.number().int().nonnegative().nullable(),
  /** The engine's delivered count; null when its status could not be read. */
  delivered: z.number().int().nonnegative().nullable(),
  dlq: z.strictObject({
    total: z.number().int().nonnegative().nullable(),
    byReason: z.record(z.string(), z.number().int().nonnegative()),
  }),
  /** Accepted (k6 saw a 202) and in neither the stream nor the DLQ; null when no audit ran. */
  lost: z.number().int().nonnegative().nullable(),
  /** Accepted, in the stream, not delivered when the run ended (a backlog left); null: no audit. */
  undelivered: z.number().int().nonnegative().nullable(),
  duplicates: z.number().int().nonnegative().nullable(),
  /** The engine's count of shed answers; null when its status could not be read. */
  shed: z.number().int().nonnegative().nullable(),
  throughput: z.strictObject({ acceptedPerS: z.number().nonnegative().nullable() }),
  /** HTTP latency of accepted writes (202 answers) only; null when there was none. */
  http: Percentiles.nullable(),
  /** What k6 was answered, from its samples; null when k6 left none. */
  answers: z
    .strictObject({
      total: z.number().int().nonnegative(),
      byStatus: z.record(z.string(), z.number().int().nonnegative()),
      shedByReason: z.record(z.string(), z.number().int().nonnegative()),
    })
    .nullable(),
  e2e: Percentiles.nullable(),
  /**
   * How many samples the end-to-end percentiles hold (histograms/e2e.hlog) beside the events
   * that should each have one: delivered − DLQ, from the engine's counts. A difference is a
   * gap in the latency figures (reports/e2e-samples.ts); null: could not be counted.
   */
  e2eSamples: z.strictObject({
    count: z.number().int().nonnegative().nullable(),
    deliveredMinusDlq: z.number().int().nullable(),
  }),
  /**
   * From the timeline; null without one (no timeline is no measurement, not an empty backlog).
   * drainS: seconds from the backlog's peak until it is back under 1% of it. `drained` false:
   * it never was before the run ended, so drainS is a lower bound (censored), not a time.
   */
  backlog: z.strictObject({
    max: z.number().nonnegative().nullable(),
    drainS: z.number().nonnegative().nullable(),
    drained: z.boolean().nullable().optional(),
    /** The drain was ended when the consumer made no progress for a while (censored); absent: not. */
    stalled: z.literal(true).optional(),
  }),
  breaker: z.strictObject({
    opens: z.number().int().nonnegative().nullable(),
    openS: z.number().nonnegative().nullable(),
  }),
  /**
   * The producer-side backlog's peak: the most records queued or in flight in the engine's
   * producer in any timeline point; null when no point read it, absent in older runs.
   */
  producerQueuePeak: z.number().int().nonnegative().nullable().optional(),
  /**
   * Records the broker throttled or refused for capacity over the run (the engine's last
   * cumulative `producer.throttled`); null when unknown, absent in older runs.
   */
  brokerThrottled: z.number().int().nonnegative().nullable().optional(),
  alerts: z.array(
    z.strictObject({ name: z.string(), firedAtS: z.number(), lagS: z.number().nullable() }),
  ),
  symptoms: Symptoms,
  budgets: z.array(BudgetResult),
  /**
   * One row per k6 agent when the load was split over several (`agents/agent-<i>/`), so
   * that an overloaded agent shows; absent for a run with one k6.
   */
  agents: z.array(AgentRow).optional(),
});
export type Summary = z.infer<typeof Summary>;

/**
 * Where the load came from when the harness did not run the engine itself: `hunt k6-operator
 * import`. Then only k6's figures are measured; the engine's (backlog, delivery, breakers,
 * the audit) are unknown, never zero.
 */
export const LoadRecord = z.strictObject({
  kind: z.literal('k6-operator'),
  engine: z.string(),
  agents: z.number().int().positive(),
  namespace: z.string(),
  missingAgents: z.array(z.number().int().nonnegative()),
});

/** `hunt run --target`: the real broker the run used (run/target.ts); never a credential. */
export const RunTargetRecord = z.strictObject({
  file: z.string(),
  backend: Backend,
  brokers: z.array(z.string()).nullable(),
  region: z.string().nullable(),
  kinesisEndpoint: z.string().nullable(),
  topic: z.string(),
  dlqTopic: z.string(),
  createTopic: z.boolean(),
  tls: z.boolean(),
  saslMechanism: z.string().nullable(),
  saslUsername: z.string().nullable(),
});
export type RunTargetRecord = z.infer<typeof RunTargetRecord>;

export const RunManifest = z.looseObject({
  schema: z.literal(SCHEMA_VERSION),
  runId: z.string(),
  backend: Backend,
  scenario: z.string(),
  plan: z.string(),
  profile: z.string().optional(),
  seed: z.number().int(),
  scale: z.number().positive().optional(),
  /** Share of arrivals sent as poison when the run set it; absent: the scenario's own (0.005). */
  poisonRate: z.number().min(0).max(1).optional(),
  /** The engine's backlog-critical threshold (events), drawn on the report's backlog chart. */
  backlogCritical: z.number().nonnegative().optional(),
  /** The fidelity profile the run used and what each dimension was (contract/fidelity-schema.ts). */
  fidelity: RunFidelity.optional(),
  /** The k6 agents the load was split over (absent: one k6); `hosts` null: all on this machine. */
  agents: z
    .strictObject({
      count: z.number().int().positive(),
      hosts: z.array(z.string()).nullable(),
      command: z.string().nullable(),
    })
    .optional(),
  /**
   * Engine instances behind one load balancer (`--producers`; absent: one engine): the first
   * consumes, the others only produce.
   */
  producers: z.number().int().positive().optional(),
  /** What was emulated rather than real, e.g. { kinesisQuotas: 'on x1', kinesis: 'kinesalite 3.3.3' }. */
  emulation: z.record(z.string(), z.string()),
  /** The real broker of a run against an existing system; absent: the local stack. */
  target: RunTargetRecord.optional(),
  versions: z.record(z.string(), z.string()),
  machine: z.strictObject({
    cores: z.number().int().positive(),
    memoryMiB: z.number().positive(),
    /** Before the start; null where the load ran on machines the harness did not see. */
    loadAvg1m: z.number().nonnegative().nullable(),
    platform: z.string(),
  }),
  gitCommit: z.string().nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  complete: z.boolean(),
  load: LoadRecord.optional(),
});
export type RunManifest = z.infer<typeof RunManifest>;

/** One line of timeline.ndjson, sampled once a second. `t` is seconds since the run's start. */
export const TimelinePoint = z.looseObject({
  t: z.number().nonnegative(),
  targetRps: z.number().nonnegative().nullable(),
  acceptedPerS: z.number().nonnegative(),
  deliveredPerS: z.number().nonnegative(),
  httpP50: z.number().nonnegative().nullable(),
  httpP99: z.number().nonnegative().nullable(),
  e2eP50: z.number().nonnegative().nullable(),
  e2eP99: z.number().nonnegative().nullable(),
  backlog: z.number().nonnegative(),
  /**
   * The consumer's lag behind the broker, in the unit of `brokerLagKind`: `offset-lag` records
   * (Kafka), `age-ms` ms since the oldest unprocessed record arrived (Kinesis); null: unknown.
   */
  brokerLag: z.number().nonnegative().nullable(),
  brokerLagKind: z.enum(['offset-lag', 'age-ms']).nullable().optional(),
  /**
   * Records queued or in flight in the engine's producer (its /status `backlog.producerQueue`);
   * null when the status could not be read that second, absent in older runs.
   */
  producerQueue: z.number().int().nonnegative().nullable().optional(),
  /**
   * Records the broker throttled or refused for capacity, cumulative (/status
   * `producer.throttled`); null when unknown, absent in older runs.
   */
  brokerThrottled: z.number().int().nonnegative().nullable().optional(),
  dlqTotal: z.number().int().nonnegative(),
  shedTotal: z.number().int().nonnegative(),
  /** Breaker name -> 'closed' | 'open' | 'half-open' | 'isolated'. */
  breakers: z.record(z.string(), z.string()),
  alerts: z.array(z.string()),
  faults: z.array(z.string()),
  /** Kafka cluster only: the broker leading partition 0 of the run's topic (null: no answer). */
  kafkaLeader: z.number().int().nullable().optional(),
  /** Kafka cluster only: how often the leader of any partition of the topic changed. */
  kafkaLeaderChanges: z.number().int().nonnegative().optional(),
  /** Process name (engine, kafka, kinesalite, k6, ...) -> CPU % and RSS MiB. */
  processes: z.record(
    z.string(),
    z.strictObject({ cpuPct: z.number().nonnegative(), rssMiB: z.number().nonnegative() }),
  ),
});
export type TimelinePoint = z.infer<typeof TimelinePoint>;

export const ChaosEvent = z.strictObject({
  step: z.number().int().nonnegative(),
  /** Human label, e.g. "latency 300ms on kafka (downstream)". */
  label: z.string(),
  kind: z.string(),
  target: z.string(),
  plannedAtS: z.number().nonnegative(),
  plannedForS: z.number().nonnegative().nullable(),
  appliedAtS: z.number().nonnegative().nullable(),
  removedAtS: z.number().nonnegative().nullable(),
  error: z.string().nullable(),
});
export type ChaosEvent = z.infer<typeof ChaosEvent>;

export const ChaosRecord = z.strictObject({
  schema: z.literal(SCHEMA_VERSION),
  plan: z.string(),
  startedAt: z.string(),
  events: z.array(ChaosEvent),
});
export type ChaosRecord = z.infer<typeof ChaosRecord>;

const IdList = z.strictObject({
  count: z.number().int().nonnegative(),
  /** The first ids (at most AUDIT_ID_SAMPLE). */
  ids: z.array(z.string()),
});

export const Audit = z.strictObject({
  schema: z.literal(SCHEMA_VERSION),
  /** Where the accepted set comes from: the load generator's own samples, never the engine. */
  witness: z.literal('k6-samples'),
  /** Ids k6 got a 202 for. */
  accepted: z.number().int().nonnegative(),
  /** k6's hunt_accepted counter, a cross-check of the samples; null without k6-summary.json. */
  k6Accepted: z.number().int().nonnegative().nullable(),
  /** Writes k6 sent without an event id in its samples: the audit cannot vouch for them. */
  unwitnessed: z.number().int().nonnegative(),
  inStream: z.number().int().nonnegative(),
  inDlq: z.number().int().nonnegative(),
  /**
   * Records of the stream and DLQ entries whose event id could not be read: an accepted id
   * may hide in one, so the audit does not vouch for its loss figure while any is counted.
   * Absent in audits that did not count them: unknown, not none.
   */
  unreadable: z
    .strictObject({
      stream: z.number().int().nonnegative(),
      dlq: z.number().int().nonnegative(),
    })
    .optional(),
  /** The engine's delivered count, bounded by what the stream held; null when it could not be read. */
  delivered: z.number().int().nonnegative().nullable(),
  lost: z.number().int().nonnegative(),
  lostIds: z.array(z.string()),
  /** Accepted and in the stream, yet not delivered by the consumer when the run ended; null: unknown. */
  undelivered: z.number().int().nonnegative().nullable(),
  /** The stream's repeats and the consumer's redeliveries; null when the engine's count could not be read. */
  duplicates: z.number().int().nonnegative().nullable(),
  duplicateIds: z.array(z.string()),
  /** In the stream though k6 got no 202 for it: allowed, reported (a 504 may still land). */
  unacknowledged: z.number().int().nonnegative(),
  /** In the stream, never sent by k6 at all: another writer, or an engine inventing events. */
  foreign: IdList,
  /** The engine's ledger against k6's 202s, both ways; null when the engine left no ledger. */
  ledger: z
    .strictObject({
      lines: z.number().int().nonnegative(),
      /** A 202 with no ledger line. */
      missing: IdList,
      /** A ledger line with no 202 (the answer was lost on the way, e.g. a client timeout). */
      extra: IdList,
    })
    .nullable(),
});
export const AUDIT_ID_SAMPLE = 100;
export type Audit = z.infer<typeof Audit>;
