import { describe, expect, it } from 'vitest';
import { LatencySampler, meanOf } from '../drivers/kinesis/quota/latency.ts';
import { MiB, ShardBuckets } from '../drivers/kinesis/quota/limits.ts';
import { OnDemandStream } from '../drivers/kinesis/quota/on-demand.ts';
import { WindowLimit } from '../drivers/kinesis/quota/window.ts';
import { type OnDemand, parseServiceModel } from './service-model.ts';

/** Admissions of `n` one-unit takes spread over `spanMs` starting at `t0`. */
function admitted(take: (now: number) => boolean, n: number, t0: number, spanMs: number): number {
  let ok = 0;
  for (let i = 0; i < n; i++) if (take(t0 + Math.floor((i * spanMs) / n))) ok++;
  return ok;
}

describe('per-shard limits over any one-second window', () => {
  it('lets no more than 1,000 records through in a second after an idle spell', () => {
    const b = new ShardBuckets(1, 0);
    // 2,000 records within 0.49 s after 10 s idle: a bucket that starts full would pass ~1,490.
    expect(admitted((t) => b.admitWrite(10, t), 2000, 10_000, 490)).toBe(1000);
    // Sliding, not fixed, window: still full 0.5 s later, room again a second after.
    expect(b.admitWrite(10, 10_900)).toBe(false);
    expect(admitted((t) => b.admitWrite(10, t), 1000, 11_001, 10)).toBeGreaterThan(0);
  });

  it('holds 1 MiB/s of writes and 5 reads a second', () => {
    const b = new ShardBuckets(1, 0);
    expect(admitted((t) => b.admitWrite(100 * 1024, t), 20, 5_000, 500)).toBe(10);
    expect(admitted((t) => b.admitRead(t), 10, 5_000, 900)).toBe(5);
  });

  it('lets a granted burst through: one second saved up doubles the first second', () => {
    const b = new ShardBuckets(1, 0, { burstSeconds: 1, consumerApps: 1 });
    const n = admitted((t) => b.admitWrite(10, t), 3000, 10_000, 990);
    expect(n).toBeGreaterThan(1900);
    expect(n).toBeLessThanOrEqual(2000);
  });

  it('leaves this consumer 1/N of the reads when N applications share the shard', () => {
    const b = new ShardBuckets(1, 0, { burstSeconds: 0, consumerApps: 5 });
    // 5 reads a second shared by 5: 5 calls in any 5 s, i.e. one a second on average.
    expect(admitted((t) => b.admitRead(t), 100, 1_000, 10_000)).toBeLessThanOrEqual(10);
    expect(admitted((t) => b.admitRead(t), 100, 20_000, 10_000)).toBeGreaterThanOrEqual(9);
  });

  it('WindowLimit frees units exactly one window after they were taken', () => {
    const w = new WindowLimit(2, 1000);
    expect([w.take(1, 0), w.take(1, 500), w.take(1, 999)]).toEqual([true, true, false]);
    expect(w.take(1, 1000)).toBe(true);
  });
});

const onDemand = (o: Partial<OnDemand> = {}): OnDemand => ({
  mode: 'on-demand',
  recordsPerS: 4000,
  bytesPerS: 4_000_000,
  previousPeakRecordsPerS: 0,
  previousPeakBytesPerS: 0,
  scaleAfterMs: 60_000,
  keyRecordsPerS: 1000,
  keyBytesPerS: MiB,
  ...o,
});
const key = (i: number) => `k${i % 97}`;

describe('on-demand capacity', () => {
  it('gives a new stream 4,000 records/s and throttles above', () => {
    const s = new OnDemandStream(onDemand(), 1, 0, 0);
    let ok = 0;
    let stream = 0;
    for (let i = 0; i < 6000; i++) {
      const v = s.admitWrite(key(i), 100, 1000 + Math.floor(i / 10));
      if (v === 'ok') ok++;
      if (v === 'stream') stream++;
    }
    expect(ok).toBe(4000);
    expect(stream).toBe(2000);
  });

  it('absorbs twice a previous peak, and no more', () => {
    const s = new OnDemandStream(onDemand({ previousPeakRecordsPerS: 5000 }), 1, 0, 0);
    expect(s.allowance().recordsPerS).toBe(10_000);
    let ok = 0;
    for (let i = 0; i < 25_000; i++) if (s.admitWrite(key(i), 10, 1000 + (i % 900)) === 'ok') ok++;
    expect(ok).toBe(10_000);
  });

  it('holds 4 MB/s of writes for a new stream', () => {
    const s = new OnDemandStream(onDemand(), 1, 0, 0);
    let ok = 0;
    for (let i = 0; i < 100; i++) if (s.admitWrite(key(i), 100_000, 1000 + i) === 'ok') ok++;
    expect(ok).toBe(40);
  });

  it('doubles the allowance once writes have been throttled for the scaling delay', () => {
    const s = new OnDemandStream(onDemand({ scaleAfterMs: 5_000 }), 1, 0, 0);
    for (let i = 0; i < 5000; i++) s.admitWrite(key(i), 10, 1000);
    expect(s.allowance().recordsPerS).toBe(4000);
    s.admitWrite('x', 10, 5_999);
    expect(s.allowance().recordsPerS).toBe(4000);
    s.admitWrite('x', 10, 6_000);
    expect(s.allowance().recordsPerS).toBe(8000);
    let ok = 0;
    for (let i = 0; i < 10_000; i++) if (s.admitWrite(key(i), 10, 8_000) === 'ok') ok++;
    expect(ok).toBe(8000);
  });

  it('keeps one partition key within 1,000 records/s and 1 MB/s whatever the allowance', () => {
    const s = new OnDemandStream(onDemand({ previousPeakRecordsPerS: 50_000 }), 1, 0, 0);
    const verdicts = Array.from({ length: 1500 }, (_, i) => s.admitWrite('hot', 10, 1000 + i / 2));
    expect(verdicts.filter((v) => v === 'ok')).toHaveLength(1000);
    expect(verdicts.filter((v) => v === 'key')).toHaveLength(500);
    const big = Array.from({ length: 20 }, (_, i) => s.admitWrite('big', 100 * 1024, 3000 + i));
    expect(big.filter((v) => v === 'ok')).toHaveLength(10);
  });
});

describe('latency distributions', () => {
  const pct = (xs: number[], q: number) =>
    [...xs].sort((a, b) => a - b)[Math.floor(q * xs.length)]!;

  it('draws a seeded log-normal whose p50 and p99 match the spec within 5%', () => {
    const spec = { p50: 20, p99: 120 };
    const s = new LatencySampler({ PutRecords: spec }, 7);
    const xs = Array.from({ length: 100_000 }, () => s.sample('PutRecords'));
    expect(pct(xs, 0.5)).toBeGreaterThan(19);
    expect(pct(xs, 0.5)).toBeLessThan(21);
    expect(pct(xs, 0.99)).toBeGreaterThan(114);
    expect(pct(xs, 0.99)).toBeLessThan(126);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(Math.abs(mean - meanOf(spec)) / meanOf(spec)).toBeLessThan(0.03);
  });

  it('repeats its delays for a seed, and leaves unmodelled operations alone', () => {
    const a = new LatencySampler({ GetRecords: { p50: 50, p99: 200 } }, 3);
    const b = new LatencySampler({ GetRecords: { p50: 50, p99: 200 } }, 3);
    const draws = (s: LatencySampler) => Array.from({ length: 5 }, () => s.sample('GetRecords'));
    expect(draws(a)).toEqual(draws(b));
    expect(a.sample('ListShards')).toBe(0);
  });
});

describe('the service model schema', () => {
  it('rejects unknown keys and names the field', () => {
    expect(() =>
      parseServiceModel({ latency: { PutRecords: { p50: 1, p99: 2, p95: 1 } } }),
    ).toThrow(/model\.latency\.PutRecords.*p95/);
    expect(() => parseServiceModel({ latency: { Nope: { p50: 1, p99: 2 } } })).toThrow(/latency/);
    expect(() => parseServiceModel({ latency: { GetRecords: { p50: 9, p99: 2 } } })).toThrow(/p99/);
  });
});
