/**
 * capacity.json (`hunt capacity`): for each configuration, the burst scales tried, what each
 * run measured, whether it held the criterion, and the knee: the largest scale that held in
 * every repeat, the first that broke, its first broken symptom and what bound it. A figure
 * that could not be measured is null (unknown), never 0.
 */
import { z } from 'zod';

const nonneg = z.number().nonnegative();

/** The criterion's symptoms, in the order a broken run names its first one. */
export const CAPACITY_SYMPTOMS = [
  'not-fulfilled',
  'not-accepted',
  'http-p99',
  'unmeasured',
] as const;
export const CapacitySymptom = z.enum(CAPACITY_SYMPTOMS);
export type CapacitySymptom = z.infer<typeof CapacitySymptom>;

/** What can bind a configuration; `load-generator` and `engine-cpu` are this machine's. */
export const BOTTLENECKS = [
  'load-generator',
  'engine-cpu',
  'broker-throttling',
  'producer-queue',
  'downstream',
  'consumer-stalled',
  'unidentified',
] as const;
export const Bottleneck = z.enum(BOTTLENECKS);
export type Bottleneck = z.infer<typeof Bottleneck>;

/** One run's figures: the criterion's, then the evidence of what bound it. */
export const StepFigures = z.strictObject({
  /** The scenario's highest target rate in the run (requests/s), from its timeline. */
  offeredPeakRps: nonneg.nullable(),
  complete: z.boolean(),
  orders: nonneg.nullable(),
  notFulfilled: nonneg.nullable(),
  notAccepted: nonneg.nullable(),
  /** notAccepted / orders. */
  notAcceptedShare: nonneg.nullable(),
  /** Accepted writes' p99 (ms). */
  httpP99Ms: nonneg.nullable(),
  k6Dropped: nonneg.nullable(),
  /** Share of k6's sampled seconds at ≥ 90% of a core; null: not sampled. */
  k6SaturatedShare: nonneg.nullable(),
  /** Share of the engine's sampled seconds at ≥ 90% of a core; null: not sampled. */
  engineSaturatedShare: nonneg.nullable(),
  /** Summary `producerQueuePeak` (absent in older runs: null). */
  producerQueuePeak: nonneg.nullable(),
  /** Summary `brokerThrottled` (absent in older runs: null). */
  brokerThrottled: nonneg.nullable(),
  /** Kinesis: records the quota layer refused for the run's stream (PutRecords/PutRecord); null elsewhere. */
  quotaThrottled: nonneg.nullable(),
  downstreamErrorRate: nonneg.nullable(),
  /** Seconds the downstream breaker was open, from the timeline. */
  downstreamOpenS: nonneg.nullable(),
  /** The drain ended with the consumer delivering nothing (a poison event holding a partition). */
  consumerStalled: z.boolean().nullable(),
});
export type StepFigures = z.infer<typeof StepFigures>;

export const CapacityStep = z.strictObject({
  phase: z.enum(['climb', 'bisect', 'confirm']),
  scale: z.number().positive(),
  figures: StepFigures,
  held: z.boolean(),
  /** Symptoms over the criterion, first one first; `unmeasured`: a figure it needs was unknown. */
  broken: z.array(CapacitySymptom),
  exitCode: z.number().int(),
  dir: z.string(),
});
export type CapacityStep = z.infer<typeof CapacityStep>;

export const BottleneckCall = z.strictObject({
  kind: Bottleneck,
  /** True when this machine (k6 or the engine's CPU) set the knee: never the backend's. */
  machine: z.boolean(),
  /** The figures it rests on, one phrase each. */
  evidence: z.array(z.string()),
});
export type BottleneckCall = z.infer<typeof BottleneckCall>;

export const Knee = z.strictObject({
  /** The largest scale that held in every run at it; null: none held. */
  heldScale: z.number().positive().nullable(),
  heldPeakRps: nonneg.nullable(),
  heldRuns: z.number().int().nonnegative(),
  /** The smallest scale that broke in some run, above heldScale; null: none broke. */
  brokenScale: z.number().positive().nullable(),
  brokenPeakRps: nonneg.nullable(),
  brokenRuns: z.number().int().nonnegative(),
  /** Runs at brokenScale that broke. */
  brokenOf: z.number().int().nonnegative(),
  firstSymptom: CapacitySymptom.nullable(),
  /** Each symptom and in how many of brokenScale's runs it broke. */
  symptoms: z.record(z.string(), z.number().int().nonnegative()),
  bottleneck: BottleneckCall.nullable(),
  /** The answer in one sentence, by configuration name. */
  sentence: z.string(),
});
export type Knee = z.infer<typeof Knee>;

export const CapacityConfiguration = z.strictObject({
  /** `kafka · naive`: the configuration's name, never a run id. */
  name: z.string(),
  backend: z.string(),
  design: z.string().nullable(),
  /**
   * The capacity its runs held the backend to, as run.json states it (fidelity.capacity.line);
   * null: none stated, or not recorded. Optional: a record from before it was kept.
   */
  statedCapacity: z.string().nullable().optional(),
  steps: z.array(CapacityStep),
  knee: Knee,
});
export type CapacityConfiguration = z.infer<typeof CapacityConfiguration>;

export const CapacityRecord = z.strictObject({
  schema: z.literal(1),
  scenario: z.string(),
  profile: z.string(),
  plan: z.string(),
  fidelity: z.string(),
  duration: z.string().nullable(),
  /** Share of arrivals sent as poison; null: the scenario's own. */
  poisonRate: z.number().min(0).max(1).nullable(),
  criterion: z.strictObject({
    maxNotAcceptedShare: nonneg,
    httpP99BudgetMs: nonneg,
  }),
  search: z.strictObject({
    startScale: z.number().positive(),
    factor: z.number().gt(1),
    maxSteps: z.number().int().positive(),
    maxDown: z.number().int().nonnegative(),
    resolution: z.number().gt(1),
    repeats: z.number().int().positive(),
  }),
  /** The scenario's peak target rate at scale 1 (requests/s); null: not measured. */
  peakRpsPerScale: nonneg.nullable(),
  configurations: z.array(CapacityConfiguration),
  complete: z.boolean(),
  startedAt: z.string(),
  endedAt: z.string(),
});
export type CapacityRecord = z.infer<typeof CapacityRecord>;
