import { describe, expect, it } from 'vitest';
import { loadFidelityProfile } from '../../run/fidelity.ts';
import { kinesisDriver } from './driver.ts';

const local = kinesisDriver.local!;
// A profile without a stated capacity: AWS's per-shard limits as they are.
const profile = loadFidelityProfile('loopback').profile;
const facts = (quota: number | null) => ({ options: {}, partitions: 4, quota });

describe('the Kinesis driver records the limits the run held', () => {
  it("AWS's published per-shard limits at ×1", () => {
    expect(local.emulation(facts(1)).kinesisQuotas).toBe('on ×1 (AWS per-shard limits)');
    expect(local.dimensions(profile, facts(1)).shardLimits).toMatchObject({
      level: 'emulated',
      status: 'published',
      note: expect.stringMatching(/^1,000 records\/s, 1 MiB\/s written and 5 reads\/s per shard/),
    });
  });

  it('a multiplier other than 1 says its scaled figures and rests on an assumption', () => {
    expect(local.emulation(facts(10)).kinesisQuotas).toBe('on ×10 (AWS per-shard limits)');
    expect(local.dimensions(profile, facts(10)).shardLimits).toMatchObject({
      level: 'emulated',
      status: 'assumed',
      note: expect.stringMatching(
        /^×10 of AWS's limits: 10,000 records\/s, 10 MiB\/s written and 50 reads\/s/,
      ),
    });
    expect(local.dimensions(profile, facts(0.1)).shardLimits?.note).toMatch(
      /^×0\.1 of AWS's limits: 100 records\/s, 0\.1 MiB\/s written and 0\.5 reads\/s/,
    );
  });

  it('a stated capacity scales the writes alone, times the multiplier', () => {
    const stated = loadFidelityProfile('aws-provisioned').profile;
    const shards = stated.capacity!.kinesis!.shards!.value;
    const w = (shards * stated.capacity!.scale.value) / 4;
    const records = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(
      1000 * w * 2,
    );
    expect(local.dimensions(stated, facts(2)).shardLimits).toMatchObject({
      level: 'emulated',
      status: 'assumed',
      note: expect.stringContaining(`, ×2 of its reads: ${records} records/s`),
    });
    expect(local.serviceModel!(stated, 1, facts(2)).capacityScale).toBeCloseTo(w);
    expect(local.capacity!(stated, facts(2))?.record.recordsPerS).toBeCloseTo(
      shards * 1000 * stated.capacity!.scale.value * 2,
    );
  });

  it('quotas off: no limits at all', () => {
    expect(local.emulation(facts(null)).kinesisQuotas).toBe('off');
    expect(local.dimensions(profile, facts(null)).shardLimits?.level).toBe('absent');
  });
});
