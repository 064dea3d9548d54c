import { describe, expect, it } from 'vitest';
import { FidelityProfile } from '../../contract/fidelity-schema.ts';
import { capacityProfile } from '../../testkit/capacity-profile.ts';
import { kafkaCapacity, kafkaTargetCapacity } from './capacity.ts';

const url = 'https://docs.aws.amazon.com/msk/latest/developerguide/bestpractices-express.html';
const profile = (scale: number, eventBytes?: number) =>
  capacityProfile(scale, {
    kafka: {
      brokerSize: { value: 'express.m7g.large', status: 'published', source: url },
      brokers: { value: 3, status: 'published', source: url },
      ingressBytesPerS: { value: 15_600_000, status: 'published', source: url },
      ...(eventBytes
        ? {
            eventBytes: {
              value: eventBytes,
              status: 'measured',
              measured: { date: '2026-12-02', how: 'a run' },
            },
          }
        : {}),
    },
  });

describe("Kafka's stated capacity", () => {
  it('is the cluster ingress × scale here, split over the local brokers as each one’s quota', () => {
    const one = kafkaCapacity(profile(0.01), 1)!;
    expect(one.record).toMatchObject({
      stated: '3 × express.m7g.large',
      statedBytesPerS: 46_800_000,
      scale: 0.01,
      enforced: true,
      bytesPerS: 468_000,
      recordsPerS: null,
      eventsPerS: null,
    });
    expect(one.record.line).toBe(
      'Kafka: 3 × express.m7g.large, 46.8 MB/s ingress (published) × 1/100 = 468 KB/s here',
    );
    expect(one.producerByteRate).toBe(468_000);
    // Kafka holds a client quota on each broker: three brokers take a third each.
    expect(kafkaCapacity(profile(0.01), 3)!.producerByteRate).toBe(156_000);
    expect(kafkaCapacity(profile(0.01), 3)!.record.bytesPerS).toBe(468_000);
  });

  it('states the events a second it admits at the measured event size', () => {
    const c = kafkaCapacity(profile(0.002, 240), 1)!;
    expect(c.record.eventsPerS).toBe(390);
    expect(c.record.line).toMatch(/× 1\/500 = 93.6 KB\/s here, ~390 events\/s at 240 B an event$/);
  });

  it('is absent without a capacity section, and not enforced against a target', () => {
    const none = FidelityProfile.parse({ name: 't', version: 1, description: 'd' });
    expect(kafkaCapacity(none, 1)).toBeNull();
    expect(kafkaTargetCapacity(none)).toBeNull();
    expect(kafkaTargetCapacity(profile(0.01))).toMatchObject({
      enforced: false,
      bytesPerS: null,
      statedBytesPerS: 46_800_000,
    });
  });
});
