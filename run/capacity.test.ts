import { expect, test } from 'vitest';
import { brokenSymptoms, kneeOf } from '../analysis/capacity.ts';
import { searchKnee } from '../analysis/capacity-search.ts';
import type { CapacityStep, StepFigures } from '../contract/capacity.ts';
import { capacityRecord } from './capacity.ts';

const C = { maxNotAcceptedShare: 0.01, httpP99BudgetMs: 500 };
const SEARCH = { start: 0.5, factor: 2, maxSteps: 5, maxDown: 2, resolution: 1.5, repeats: 2 };
const OK: StepFigures = {
  offeredPeakRps: null,
  complete: true,
  orders: 500,
  notFulfilled: 0,
  notAccepted: 0,
  notAcceptedShare: 0,
  httpP99Ms: 20,
  k6Dropped: 0,
  k6SaturatedShare: 0,
  engineSaturatedShare: 0,
  producerQueuePeak: null,
  brokerThrottled: null,
  quotaThrottled: 40,
  downstreamErrorRate: 0,
  downstreamOpenS: 0,
  consumerStalled: false,
};

test('a search of fake steps makes a capacity.json its schema accepts', async () => {
  const steps: CapacityStep[] = [];
  const outcome = await searchKnee(SEARCH, async (scale, phase) => {
    const figures = {
      ...OK,
      offeredPeakRps: 800 * scale,
      ...(scale > 1.2 ? { notAcceptedShare: 0.3 } : {}),
    };
    const broken = brokenSymptoms(figures, C);
    steps.push({
      phase,
      scale,
      figures,
      held: broken.length === 0,
      broken,
      exitCode: 0,
      dir: `/r/${steps.length}`,
    });
    return broken.length === 0;
  });
  const name = 'kinesis · hardened';
  const record = capacityRecord(
    {
      scenario: 'peak-sale',
      profile: 'flash-sale',
      plan: { name: 'none' } as never,
      fidelityName: 'aws-provisioned',
      duration: '20s',
      criterion: C,
      search: SEARCH,
    },
    [
      {
        name,
        backend: 'kinesis',
        design: 'hardened',
        steps,
        knee: kneeOf(name, steps, outcome, C),
      },
    ],
    { complete: true, startedAt: '2026-01-01T00:00:00Z' },
  );
  expect(record.search).toEqual({
    startScale: 0.5,
    factor: 2,
    maxSteps: 5,
    maxDown: 2,
    resolution: 1.5,
    repeats: 2,
  });
  expect(record.peakRpsPerScale).toBe(800);
  expect(record.configurations[0]!.knee).toMatchObject({
    heldScale: 1,
    brokenScale: 1.41,
    heldRuns: 2,
    brokenRuns: 2,
  });
  expect(record.configurations[0]!.knee.sentence).toBe(
    'kinesis · hardened held up to 800 requests/s (2 of 2 runs); at 1,128/s orders were not accepted (2 of 2 runs); bound by: broker throttling',
  );
});
