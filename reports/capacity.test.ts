import { describe, expect, it } from 'vitest';
import { brokenSymptoms, kneeOf } from '../analysis/capacity.ts';
import type {
  CapacityConfiguration,
  CapacityRecord,
  CapacityStep,
  StepFigures,
} from '../contract/capacity.ts';
import { capacityPage } from './capacity.ts';

const C = { maxNotAcceptedShare: 0.01, httpP99BudgetMs: 500 };
const BASE: StepFigures = {
  offeredPeakRps: 0,
  complete: true,
  orders: 1000,
  notFulfilled: 0,
  notAccepted: 0,
  notAcceptedShare: 0,
  httpP99Ms: 50,
  k6Dropped: 0,
  k6SaturatedShare: 0,
  engineSaturatedShare: 0,
  producerQueuePeak: null,
  brokerThrottled: null,
  quotaThrottled: 0,
  downstreamErrorRate: 0,
  downstreamOpenS: 0,
  consumerStalled: false,
};

function configuration(name: string, breaksAt: number, extra: Partial<StepFigures>) {
  const steps: CapacityStep[] = [0.5, 1, 2, 1.41, 1.41, 2].map((scale, i) => {
    const figures = {
      ...BASE,
      offeredPeakRps: 800 * scale,
      ...(scale >= breaksAt ? { httpP99Ms: 1_500, ...extra } : {}),
    };
    const broken = brokenSymptoms(figures, C);
    return {
      phase: i < 3 ? 'climb' : 'confirm',
      scale,
      figures,
      held: broken.length === 0,
      broken,
      exitCode: 0,
      dir: `/r/cap/${name.replace(' · ', '-')}/0${i + 1}-x${scale}`,
    };
  });
  const c: CapacityConfiguration = {
    name,
    backend: name.split(' · ')[0]!,
    design: 'hardened',
    statedCapacity: `${name.split(' · ')[0]}: stated capacity line`,
    steps,
    knee: kneeOf(name, steps, { held: 1.41, broken: 2 }, C),
  };
  return c;
}

const record: CapacityRecord = {
  schema: 1,
  scenario: 'peak-sale',
  profile: 'flash-sale',
  plan: 'none',
  fidelity: 'aws-provisioned',
  duration: '20s',
  poisonRate: 0,
  criterion: C,
  search: { startScale: 0.5, factor: 2, maxSteps: 5, maxDown: 2, resolution: 1.5, repeats: 2 },
  peakRpsPerScale: 800,
  configurations: [
    configuration('kafka · hardened', 2, { k6SaturatedShare: 0.6 }),
    configuration('kinesis · hardened', 2, { quotaThrottled: 900 }),
  ],
  complete: true,
  startedAt: '2026-01-01T00:00:00Z',
  endedAt: '2026-01-01T00:10:00Z',
};

describe('the capacity page', () => {
  const html = capacityPage(record, '/r/cap');

  it('puts one sentence per configuration first, by name, and says a machine knee is not the backend', () => {
    const answer = html.slice(
      html.indexOf('<section class="answer">'),
      html.indexOf('How it was searched'),
    );
    expect(answer).toContain(
      'kinesis · hardened held up to 1,128 requests/s (2 of 2 runs); at 1,600/s accepted-write p99 went over its budget (2 of 2 runs); bound by: broker throttling.',
    );
    expect(answer).toContain('bound by: this machine&#39;s load generator (k6), not the backend');
    expect(answer).toMatch(/kafka · hardened: the knee was set by this machine/);
    expect(answer).not.toContain('x1.41');
    // What the knees read against: each backend's stated capacity, once.
    expect(answer).toContain(
      'held to a stated capacity: kafka: stated capacity line; kinesis: stated capacity line.',
    );
  });

  it('states no capacity when the runs held none', () => {
    const none = {
      ...record,
      configurations: record.configurations.map((c) => ({ ...c, statedCapacity: null })),
    };
    expect(capacityPage(none, '/r/cap')).not.toContain('stated capacity');
  });

  it('charts each symptom against the offered rate, a line per configuration and its knee marked', () => {
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs).toHaveLength(3);
    const p99 = svgs[2]!;
    expect(p99.match(/<polyline/g)).toHaveLength(2);
    expect(p99).toContain('kinesis · hardened: knee, held up to 1,128/s');
    expect(p99).toContain('criterion');
  });

  it('names run directories in the steps table alone', () => {
    const steps = html.indexOf('<h2>Steps</h2>');
    expect(html.indexOf('kinesis-hardened/')).toBeGreaterThan(steps);
    expect(html.slice(steps)).toContain('kinesis-hardened/04-x1.41');
  });
});
