import { describe, expect, it } from 'vitest';
import type { CapacityStep, StepFigures } from '../contract/capacity.ts';
import type { Summary, TimelinePoint } from '../contract/schema.ts';
import {
  brokenSymptoms,
  type Criterion,
  classifyKnee,
  classifyRun,
  kneeOf,
  stepFigures,
} from './capacity.ts';

const C: Criterion = { maxNotAcceptedShare: 0.01, httpP99BudgetMs: 500 };

/** A run that held: every figure measured, nothing over the criterion, no cause showing. */
const HELD: StepFigures = {
  offeredPeakRps: 400,
  complete: true,
  orders: 1000,
  notFulfilled: 0,
  notAccepted: 0,
  notAcceptedShare: 0,
  httpP99Ms: 40,
  k6Dropped: 0,
  k6SaturatedShare: 0,
  engineSaturatedShare: 0,
  producerQueuePeak: 3,
  brokerThrottled: 0,
  quotaThrottled: 0,
  downstreamErrorRate: 0,
  downstreamOpenS: 0,
  consumerStalled: false,
};
const fig = (o: Partial<StepFigures>): StepFigures => ({ ...HELD, ...o });

describe('the criterion', () => {
  it('holds a run with every figure within it', () => {
    expect(brokenSymptoms(HELD, C)).toEqual([]);
  });

  it('names each symptom over it, in the criterion order', () => {
    expect(
      brokenSymptoms(fig({ httpP99Ms: 900, notFulfilled: 3, notAcceptedShare: 0.02 }), C),
    ).toEqual(['not-fulfilled', 'not-accepted', 'http-p99']);
    // At the share itself it still holds: "more than" the stated share breaks.
    expect(brokenSymptoms(fig({ notAcceptedShare: 0.01 }), C)).toEqual([]);
  });

  it('never passes an unknown figure or an unfinished run', () => {
    expect(brokenSymptoms(fig({ notFulfilled: null }), C)).toEqual(['unmeasured']);
    expect(brokenSymptoms(fig({ httpP99Ms: null }), C)).toEqual(['unmeasured']);
    expect(brokenSymptoms(fig({ complete: false }), C)).toEqual(['unmeasured']);
    // Nothing accepted has no latency, and is broken by what it refused.
    expect(brokenSymptoms(fig({ httpP99Ms: null, notAcceptedShare: 1 }), C)).toEqual([
      'not-accepted',
    ]);
  });
});

describe('the bottleneck', () => {
  const throttledSlow = fig({ httpP99Ms: 2_000, quotaThrottled: 5_000 });

  it('names broker throttling from the quota layer or the producer', () => {
    expect(classifyRun(throttledSlow, C)).toMatchObject({
      kind: 'broker-throttling',
      machine: false,
    });
    expect(classifyRun(fig({ httpP99Ms: 900, brokerThrottled: 12 }), C).kind).toBe(
      'broker-throttling',
    );
  });

  it("labels a knee with k6 dropping iterations the machine's, not the backend's", () => {
    const dropped = fig({ k6Dropped: 250, notAcceptedShare: 0.2, quotaThrottled: 10 });
    const call = classifyRun(dropped, C);
    expect(call).toMatchObject({ kind: 'load-generator', machine: true });
    expect(call.evidence.join()).toContain('dropped 250');
  });

  it("labels a knee with k6 or the engine CPU-saturated the machine's", () => {
    expect(classifyRun(fig({ k6SaturatedShare: 0.5, brokerThrottled: 9 }), C)).toMatchObject({
      kind: 'load-generator',
      machine: true,
    });
    expect(classifyRun(fig({ engineSaturatedShare: 0.6, quotaThrottled: 9 }), C)).toMatchObject({
      kind: 'engine-cpu',
      machine: true,
    });
  });

  it('reads dropped iterations while answers were slow as the system holding every VU', () => {
    expect(classifyRun({ ...throttledSlow, k6Dropped: 40 }, C).kind).toBe('broker-throttling');
  });

  it('names the producer queue, the downstream and a stalled consumer', () => {
    expect(classifyRun(fig({ producerQueuePeak: 900 }), C).kind).toBe('producer-queue');
    expect(classifyRun(fig({ producerQueuePeak: 100 }), C).kind).toBe('unidentified');
    expect(classifyRun(fig({ downstreamErrorRate: 0.3 }), C).kind).toBe('downstream');
    expect(classifyRun(fig({ downstreamOpenS: 4 }), C).kind).toBe('downstream');
    expect(classifyRun(fig({ consumerStalled: true }), C).kind).toBe('consumer-stalled');
  });

  it('reads figures another version does not write as unknown, not as none', () => {
    const call = classifyRun(
      fig({ producerQueuePeak: null, brokerThrottled: null, quotaThrottled: null }),
      C,
    );
    expect(call.kind).toBe('unidentified');
    expect(call.evidence).toContain('broker throttling not measured');
    expect(call.evidence).toContain('producer queue not measured');
  });

  it("calls a knee the machine's when any broken run at it was", () => {
    const call = classifyKnee([throttledSlow, fig({ k6SaturatedShare: 0.4 }), throttledSlow], C);
    expect(call).toMatchObject({ kind: 'load-generator', machine: true });
    expect(classifyKnee([throttledSlow, fig({ downstreamOpenS: 3 }), throttledSlow], C)?.kind).toBe(
      'broker-throttling',
    );
  });
});

describe('the knee and its sentence', () => {
  const step = (scale: number, held: boolean, f: Partial<StepFigures>): CapacityStep => ({
    phase: 'climb',
    scale,
    figures: fig({ offeredPeakRps: 800 * scale, ...f }),
    held,
    broken: brokenSymptoms(fig(f), C),
    exitCode: 0,
    dir: `d-${scale}`,
  });

  it('says what held, what broke first and in how many runs, and what bound it', () => {
    const bad = { notFulfilled: 12, httpP99Ms: 1_500, quotaThrottled: 300 };
    const steps = [
      step(0.5, true, {}),
      step(0.75, false, bad),
      step(0.5, true, {}),
      step(0.75, false, { httpP99Ms: 1_200, quotaThrottled: 200 }),
    ];
    const k = kneeOf('kinesis · hardened', steps, { held: 0.5, broken: 0.75 }, C);
    expect(k).toMatchObject({
      heldPeakRps: 400,
      brokenPeakRps: 600,
      heldRuns: 2,
      brokenRuns: 2,
      brokenOf: 2,
      firstSymptom: 'http-p99',
      symptoms: { 'not-fulfilled': 1, 'http-p99': 2 },
    });
    expect(k.sentence).toBe(
      'kinesis · hardened held up to 400 requests/s (2 of 2 runs); at 600/s accepted-write p99 went over its budget (2 of 2 runs); bound by: broker throttling',
    );
  });

  it('says so when no scale held', () => {
    const k = kneeOf(
      'kafka · naive',
      [step(0.25, false, { notFulfilled: 40, consumerStalled: true })],
      { held: null, broken: 0.25 },
      C,
    );
    expect(k.sentence).toBe(
      'kafka · naive held at no scale tried; at 200/s orders went unfulfilled; bound by: a stalled consumer (a poison event holding its partition)',
    );
  });
});

describe('the figures of a run', () => {
  const point = (t: number, targetRps: number | null, engineCpu: number): TimelinePoint => ({
    t,
    targetRps,
    acceptedPerS: 0,
    deliveredPerS: 0,
    httpP50: null,
    httpP99: null,
    e2eP50: null,
    e2eP99: null,
    backlog: 0,
    brokerLag: null,
    dlqTotal: 0,
    shedTotal: 0,
    breakers: { downstream: t === 2 ? 'open' : 'closed' },
    alerts: [],
    faults: [],
    processes: { engine: { cpuPct: engineCpu, rssMiB: 100 } },
  });

  it('takes the offered peak and engine CPU from the loaded seconds, absent fields as unknown', () => {
    const summary = {
      complete: true,
      http: { p50: 1, p90: 2, p99: 30, p999: 40, max: 50 },
      backlog: { max: 10, drainS: 1 },
      symptoms: {
        sales: {
          orders: 200,
          notAccepted: { orders: 4, cents: 0 },
          notFulfilled: { orders: 0, cents: 0 },
        },
        cascade: { errorRate: 0 },
      },
    } as unknown as Summary;
    const f = stepFigures({
      summary,
      offeredPeakRps: null,
      points: [point(1, 100, 95), point(2, 300, 95), point(3, null, 0), point(4, null, 0)],
      k6: { sampledS: 10, saturatedS: 1, dropped: 0 },
      quotaThrottled: null,
    });
    expect(f).toMatchObject({
      offeredPeakRps: 300,
      notAcceptedShare: 0.02,
      httpP99Ms: 30,
      engineSaturatedShare: 1,
      k6SaturatedShare: 0.1,
      downstreamOpenS: 1,
      producerQueuePeak: null,
      brokerThrottled: null,
    });
    const later = { ...summary, producerQueuePeak: 12, brokerThrottled: 0 } as Summary;
    expect(
      stepFigures({
        summary: later,
        offeredPeakRps: 450,
        points: [],
        k6: { sampledS: 0, saturatedS: 0, dropped: null },
        quotaThrottled: 0,
      }),
    ).toMatchObject({
      producerQueuePeak: 12,
      brokerThrottled: 0,
      offeredPeakRps: 450,
      k6SaturatedShare: null,
    });
  });
});
