import * as hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { newHistogram, percentilesMs, readHlog, recordMs, spectrum, writeHlog } from './hdr.ts';

/** Nearest-rank percentile, the definition HDR uses (rank in integers: floats are inexact). */
function exact(sorted: number[], p: number): number {
  return sorted[Math.max(1, Math.ceil((Math.round(p * 1000) * sorted.length) / 100_000)) - 1]!;
}

describe('hdr', () => {
  it('states percentiles within 0.1% of the exact ones', () => {
    const h = newHistogram();
    const values: number[] = [];
    let seed = 7;
    for (let i = 0; i < 50_000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const ms = Math.round((0.2 + (seed / 2 ** 31) ** 4 * 2000) * 1000) / 1000;
      values.push(ms);
      recordMs(h, ms);
    }
    values.sort((a, b) => a - b);
    const got = percentilesMs(h)!;
    for (const [key, p] of [
      ['p50', 50],
      ['p90', 90],
      ['p99', 99],
      ['p999', 99.9],
    ] as const) {
      const want = exact(values, p);
      expect(got[key]).toBeGreaterThanOrEqual(want);
      expect(got[key]).toBeLessThanOrEqual(want * 1.001 + 0.001);
    }
    expect(got.max).toBeLessThanOrEqual(values.at(-1)! * 1.001 + 0.001);
  });

  it('round-trips interval histograms through an .hlog and merges them', () => {
    const intervals = [0, 1, 2].map((i) => {
      const h = newHistogram();
      for (let v = 1; v <= 1000; v++) h.recordValue(v * (i + 1));
      return { startMs: 1_700_000_000_000 + i * 1000, endMs: 1_700_000_001_000 + i * 1000, h };
    });
    const merged = readHlog(writeHlog(intervals));
    expect(merged.totalCount).toBe(3000);
    expect(merged.maxValue).toBeGreaterThanOrEqual(3000);
  });

  it('draws a spectrum ending at the max', () => {
    const h = newHistogram();
    for (let v = 1; v <= 10_000; v++) recordMs(h, v / 100);
    const points = spectrum(h);
    expect(points[0]!.x).toBe(1);
    expect(points.at(-1)!.ms).toBeCloseTo(100, 0);
    expect(points.length).toBeGreaterThan(60);
  });

  it('reads an interval that began before the log started', () => {
    let out = '';
    const writer = new hdr.HistogramLogWriter((line) => {
      out += line;
    });
    writer.outputStartTime(10_000);
    writer.baseTime = 10_000;
    for (const [startMs, n] of [
      [9_400, 5],
      [11_000, 7],
    ] as const) {
      const h = newHistogram();
      for (let i = 0; i < n; i++) recordMs(h, 3);
      h.startTimeStampMsec = startMs;
      h.endTimeStampMsec = startMs + 1_000;
      writer.outputIntervalHistogram(h);
    }
    expect(readHlog(out).totalCount).toBe(12);
  });
});
