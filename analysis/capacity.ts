/**
 * `hunt capacity`'s judgements, pure: whether one run held the criterion, what bound a
 * configuration at its knee, and the answer in one sentence. Unknown figures never pass: a
 * run the criterion cannot judge did not hold, and a knee the machine may have set is never
 * called the backend's.
 */
import type {
  Bottleneck,
  BottleneckCall,
  CapacityStep,
  CapacitySymptom,
  Knee,
  StepFigures,
} from '../contract/capacity.ts';
import { CAPACITY_SYMPTOMS } from '../contract/capacity.ts';
import type { Summary, TimelinePoint } from '../contract/schema.ts';
import { K6_SATURATED_PCT, K6_SATURATED_SHARE, type LoadGeneratorCheck } from './bottleneck.ts';

export interface Criterion {
  /** Orders not accepted, as a share of orders, above which the run broke. */
  maxNotAcceptedShare: number;
  /** Accepted writes' p99 (ms) above which the run broke (scenarios/budgets.yaml http_p99_ms). */
  httpP99BudgetMs: number;
}

export const DEFAULT_MAX_NOT_ACCEPTED = 0.01;

/**
 * The producer's queue is the bottleneck when it held this many seconds of the offered peak
 * rate at once: records waiting for the broker, not merely in flight.
 */
export const PRODUCER_QUEUE_SECONDS = 0.5;
/** The downstream failing more than this share of its calls binds the consumer. */
export const DOWNSTREAM_ERROR_SHARE = 0.01;

/** A summary field another version may not write yet: absent or not a number is unknown. */
function optionalCount(s: Summary, key: string): number | null {
  const v = (s as Record<string, unknown>)[key];
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null;
}

/** Share of the seconds with a sample in which it was at or above the saturation mark. */
function saturatedShare(pcts: number[]): number | null {
  if (pcts.length === 0) return null;
  return pcts.filter((p) => p >= K6_SATURATED_PCT).length / pcts.length;
}

/** One run's figures, from what it left: its summary, timeline and k6's own check. */
export function stepFigures(i: {
  summary: Summary | null;
  /** run.json's `offeredPeakRps`, the load shape's own; else the timeline's highest sample. */
  offeredPeakRps: number | null;
  points: TimelinePoint[];
  k6: LoadGeneratorCheck;
  quotaThrottled: number | null;
}): StepFigures {
  const s = i.summary;
  const rates = i.points.map((p) => p.targetRps).filter((r) => r !== null);
  // The engine's CPU while load was offered: the drain's idle seconds would hide a saturation.
  const loaded = i.points.filter((p) => (p.targetRps ?? 0) > 0);
  const engine = loaded.flatMap((p) => (p.processes.engine ? [p.processes.engine.cpuPct] : []));
  const sales = s?.symptoms.sales;
  const orders = sales?.orders ?? null;
  const notAccepted = sales?.notAccepted?.orders ?? null;
  return {
    offeredPeakRps: i.offeredPeakRps ?? (rates.length > 0 ? Math.max(...rates) : null),
    complete: s !== null && (s.complete || s.undrainedOnly === true),
    orders,
    notFulfilled: sales?.notFulfilled?.orders ?? null,
    notAccepted,
    notAcceptedShare:
      orders !== null && orders > 0 && notAccepted !== null ? notAccepted / orders : null,
    httpP99Ms: s?.http?.p99 ?? null,
    k6Dropped: i.k6.dropped,
    k6SaturatedShare: i.k6.sampledS > 0 ? i.k6.saturatedS / i.k6.sampledS : null,
    engineSaturatedShare: saturatedShare(engine),
    producerQueuePeak: s ? optionalCount(s, 'producerQueuePeak') : null,
    brokerThrottled: s ? optionalCount(s, 'brokerThrottled') : null,
    quotaThrottled: i.quotaThrottled,
    downstreamErrorRate: s?.symptoms.cascade.errorRate ?? null,
    downstreamOpenS:
      i.points.length > 0 ? i.points.filter((p) => p.breakers.downstream === 'open').length : null,
    consumerStalled: s ? s.backlog.stalled === true : null,
  };
}

/** The symptoms over the criterion, in CAPACITY_SYMPTOMS order; empty: the run held. */
export function brokenSymptoms(f: StepFigures, c: Criterion): CapacitySymptom[] {
  const out = new Set<CapacitySymptom>();
  if (f.notFulfilled === null) out.add('unmeasured');
  else if (f.notFulfilled > 0) out.add('not-fulfilled');
  if (f.notAcceptedShare === null) out.add('unmeasured');
  else if (f.notAcceptedShare > c.maxNotAcceptedShare) out.add('not-accepted');
  if (f.httpP99Ms === null) {
    // No accepted write at all is no latency to judge, but the run took no orders: broken.
    if (f.notAcceptedShare === null || f.notAcceptedShare < 1) out.add('unmeasured');
  } else if (f.httpP99Ms > c.httpP99BudgetMs) out.add('http-p99');
  // A run that did not finish has partial figures: it cannot be said to have held.
  if (!f.complete) out.add('unmeasured');
  return CAPACITY_SYMPTOMS.filter((s) => out.has(s));
}

const share = (x: number) => `${Math.round(x * 100)}%`;
const int = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * What bound one broken run. This machine first: k6 short of CPU, k6 dropping arrivals
 * while the system answered within budget (so not for want of answers), or the engine's one
 * core saturated; then the backend's and the design's causes.
 */
export function classifyRun(f: StepFigures, c: Criterion): BottleneckCall {
  const machine: string[] = [];
  if (f.k6SaturatedShare !== null && f.k6SaturatedShare > K6_SATURATED_SHARE)
    machine.push(`k6 CPU-saturated in ${share(f.k6SaturatedShare)} of its seconds`);
  // Dropped arrivals while answers were slow are the system's: every VU waited on it.
  const answersFast = f.httpP99Ms !== null && f.httpP99Ms <= c.httpP99BudgetMs;
  if (f.k6Dropped !== null && f.k6Dropped > 0 && (answersFast || f.httpP99Ms === null))
    machine.push(`k6 dropped ${int(f.k6Dropped)} iterations`);
  if (machine.length > 0) return { kind: 'load-generator', machine: true, evidence: machine };
  if (f.engineSaturatedShare !== null && f.engineSaturatedShare > K6_SATURATED_SHARE)
    return {
      kind: 'engine-cpu',
      machine: true,
      evidence: [`engine CPU-saturated in ${share(f.engineSaturatedShare)} of its seconds`],
    };
  const throttled: string[] = [];
  if (f.brokerThrottled !== null && f.brokerThrottled > 0)
    throttled.push(`the broker throttled ${int(f.brokerThrottled)} records`);
  if (f.quotaThrottled !== null && f.quotaThrottled > 0)
    throttled.push(`the quota layer refused ${int(f.quotaThrottled)} records`);
  if (throttled.length > 0)
    return { kind: 'broker-throttling', machine: false, evidence: throttled };
  if (
    f.producerQueuePeak !== null &&
    f.offeredPeakRps !== null &&
    f.producerQueuePeak >= PRODUCER_QUEUE_SECONDS * f.offeredPeakRps
  )
    return {
      kind: 'producer-queue',
      machine: false,
      evidence: [`the producer queue peaked at ${int(f.producerQueuePeak)} records`],
    };
  const downstream: string[] = [];
  if (f.downstreamErrorRate !== null && f.downstreamErrorRate > DOWNSTREAM_ERROR_SHARE)
    downstream.push(`the downstream failed ${share(f.downstreamErrorRate)} of its calls`);
  if (f.downstreamOpenS !== null && f.downstreamOpenS > 0)
    downstream.push(`the downstream breaker was open ${int(f.downstreamOpenS)} s`);
  if (downstream.length > 0) return { kind: 'downstream', machine: false, evidence: downstream };
  if (f.consumerStalled === true)
    return {
      kind: 'consumer-stalled',
      machine: false,
      evidence: ['the consumer stopped delivering while a backlog stayed'],
    };
  return { kind: 'unidentified', machine: false, evidence: unmeasuredCauses(f) };
}

/** The causes that could not be ruled out because their figure was unknown. */
function unmeasuredCauses(f: StepFigures): string[] {
  const out: string[] = [];
  if (f.k6SaturatedShare === null && f.k6Dropped === null) out.push('k6 not measured');
  if (f.engineSaturatedShare === null) out.push('engine CPU not measured');
  if (f.brokerThrottled === null && f.quotaThrottled === null)
    out.push('broker throttling not measured');
  if (f.producerQueuePeak === null) out.push('producer queue not measured');
  return out;
}

/**
 * What bound the configuration, from the broken runs at its knee: the machine's when any of
 * them was (a knee the machine may have set is not the backend's), else the cause most runs
 * name (the first-seen on a tie).
 */
export function classifyKnee(runs: StepFigures[], c: Criterion): BottleneckCall | null {
  if (runs.length === 0) return null;
  const calls = runs.map((f) => classifyRun(f, c));
  const machine = calls.filter((k) => k.machine);
  if (machine.length > 0) return merge(machine[0]!.kind, machine);
  const counts = new Map<Bottleneck, number>();
  for (const k of calls) counts.set(k.kind, (counts.get(k.kind) ?? 0) + 1);
  const top = [...counts.entries()].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  return merge(
    top,
    calls.filter((k) => k.kind === top),
  );
}

function merge(kind: Bottleneck, calls: BottleneckCall[]): BottleneckCall {
  return {
    kind,
    machine: calls[0]!.machine,
    evidence: [...new Set(calls.flatMap((k) => k.evidence))],
  };
}

export const SYMPTOM_TEXT: Record<CapacitySymptom, string> = {
  'not-fulfilled': 'orders went unfulfilled',
  'not-accepted': 'orders were not accepted',
  'http-p99': 'accepted-write p99 went over its budget',
  unmeasured: 'a figure of the criterion could not be measured',
};

export const BOTTLENECK_TEXT: Record<Bottleneck, string> = {
  'load-generator': "this machine's load generator (k6), not the backend",
  'engine-cpu': "this machine's CPU under the engine, not the backend",
  'broker-throttling': 'broker throttling',
  'producer-queue': 'the producer queue',
  downstream: 'the downstream (fulfillment)',
  'consumer-stalled': 'a stalled consumer (a poison event holding its partition)',
  unidentified: 'not identified from the measured figures',
};

const rate = (rps: number | null, scale: number) =>
  rps === null ? `scale ${scale} (rate unknown)` : `${int(rps)} requests/s`;
const runsOf = (k: number, n: number) => (n > 1 ? ` (${k} of ${n} runs)` : '');

/** The knee from the steps the search tried: the held and broken scales it settled on. */
export function kneeOf(
  name: string,
  steps: CapacityStep[],
  settled: { held: number | null; broken: number | null },
  c: Criterion,
): Knee {
  const at = (scale: number | null) =>
    scale === null ? [] : steps.filter((s) => s.scale === scale);
  const heldRuns = at(settled.held);
  const brokenRuns = at(settled.broken);
  const broke = brokenRuns.filter((s) => !s.held);
  const peak = (runs: CapacityStep[]) => {
    const rps = runs.map((s) => s.figures.offeredPeakRps).filter((r) => r !== null);
    return rps.length > 0 ? Math.max(...rps) : null;
  };
  const symptoms: Record<string, number> = {};
  for (const s of broke) for (const b of s.broken) symptoms[b] = (symptoms[b] ?? 0) + 1;
  // The symptom most of its runs broke on; on a tie, the criterion's first.
  let firstSymptom: CapacitySymptom | null = null;
  for (const s of CAPACITY_SYMPTOMS)
    if ((symptoms[s] ?? 0) > (firstSymptom === null ? 0 : symptoms[firstSymptom]!))
      firstSymptom = s;
  const bottleneck = classifyKnee(
    broke.map((s) => s.figures),
    c,
  );
  const heldPeakRps = peak(heldRuns);
  const brokenPeakRps = peak(brokenRuns);
  const knee = {
    heldScale: settled.held,
    heldPeakRps,
    heldRuns: heldRuns.length,
    brokenScale: settled.broken,
    brokenPeakRps,
    brokenRuns: brokenRuns.length,
    brokenOf: broke.length,
    firstSymptom,
    symptoms,
    bottleneck,
  };
  return { ...knee, sentence: kneeSentence(name, knee) };
}

/** "kafka · naive held up to 420 requests/s; at 630/s orders went unfulfilled; bound by: …". */
export function kneeSentence(name: string, k: Omit<Knee, 'sentence'>): string {
  const parts: string[] = [];
  if (k.heldScale !== null)
    parts.push(
      `${name} held up to ${rate(k.heldPeakRps, k.heldScale)}${runsOf(k.heldRuns, k.heldRuns)}`,
    );
  else parts.push(`${name} held at no scale tried`);
  if (k.brokenScale !== null && k.firstSymptom !== null) {
    const at = k.brokenPeakRps === null ? `scale ${k.brokenScale}` : `${int(k.brokenPeakRps)}/s`;
    parts.push(
      `at ${at} ${SYMPTOM_TEXT[k.firstSymptom]}${runsOf(k.symptoms[k.firstSymptom] ?? 0, k.brokenRuns)}`,
    );
  } else if (k.heldScale !== null) parts.push('no larger scale was tried that broke');
  if (k.bottleneck) parts.push(`bound by: ${BOTTLENECK_TEXT[k.bottleneck.kind]}`);
  return parts.join('; ');
}
