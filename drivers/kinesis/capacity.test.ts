import { describe, expect, it } from 'vitest';
import { loadFidelityProfile } from '../../run/fidelity.ts';
import { capacityProfile } from '../../testkit/capacity-profile.ts';
import { kinesisCapacity, kinesisTargetCapacity } from './capacity.ts';
import { serviceModelOf } from './fidelity.ts';
import { MiB } from './quota/limits.ts';

const provisioned = (shards: number, scale: number) =>
  capacityProfile(scale, {
    kinesis: {
      shards: { value: shards, status: 'assumed', note: 'why' },
      eventBytes: {
        value: 250,
        status: 'measured',
        measured: { date: '2026-12-02', how: 'a run' },
      },
    },
  });

describe("Kinesis's stated capacity", () => {
  it('holds S shards × 1,000 records/s and 1 MiB/s × scale over the local shards', () => {
    const c = kinesisCapacity(provisioned(200, 0.002), 4, 1)!;
    // 200 × 0.002 / 4: each local shard takes a tenth of AWS's write limits.
    expect(c.capacityScale).toBeCloseTo(0.1);
    expect(c.record).toMatchObject({
      stated: '200 provisioned shards',
      statedRecordsPerS: 200_000,
      statedBytesPerS: 200 * MiB,
      enforced: true,
      recordsPerS: 400,
      eventsPerS: 400,
    });
    expect(c.record.bytesPerS).toBeCloseTo(0.4 * MiB);
    expect(c.record.line).toMatch(
      /^Kinesis: 200 provisioned shards, 200,000 records\/s and 209.7 MB\/s \(assumed\) × 1\/500 = 400 records\/s and 419.4 KB\/s here, ~400 events\/s/,
    );
    // Eight local shards: each takes half as much, the stream the same.
    expect(kinesisCapacity(provisioned(200, 0.002), 8, 1)!.capacityScale).toBeCloseTo(0.05);
  });

  it('multiplies --kinesis-quota on top; off enforces nothing and says so', () => {
    const x2 = kinesisCapacity(provisioned(200, 0.002), 4, 2)!;
    expect(x2.record.recordsPerS).toBe(800);
    expect(x2.record.line).toMatch(/× 1\/500 × 2 \(--kinesis-quota\) = 800 records\/s/);
    const off = kinesisCapacity(provisioned(200, 0.002), 4, null)!;
    expect(off.record).toMatchObject({ enforced: false, recordsPerS: null, bytesPerS: null });
    expect(off.record.line).toMatch(/not enforced \(--kinesis-quota off\)$/);
    expect(kinesisTargetCapacity(provisioned(200, 0.002))?.line).toMatch(
      /not enforced, the target's own capacity$/,
    );
  });

  it('puts the write factor into the service model', () => {
    const p = provisioned(200, 0.002);
    const scale = kinesisCapacity(p, 4, 1)!.capacityScale;
    expect(serviceModelOf(p, 1, scale).capacityScale).toBeCloseTo(0.1);
    expect(serviceModelOf(p, 1).capacityScale).toBe(1);
  });

  it("on-demand: the new stream's allowance × scale", () => {
    const { profile } = loadFidelityProfile('aws-on-demand');
    const c = kinesisCapacity(profile, 4, 1);
    expect(c).not.toBeNull();
    expect(c!.capacityScale).toBe(profile.capacity!.scale.value);
    expect(c!.record.statedRecordsPerS).toBe(4000);
    expect(c!.record.recordsPerS).toBeCloseTo(4000 * profile.capacity!.scale.value);
  });
});
