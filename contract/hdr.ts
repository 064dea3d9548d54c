/**
 * HDR histogram helpers. Every latency the report states comes from one histogram holding
 * all samples of a run (never from averaged per-interval percentiles), recorded in integer
 * microseconds at HDR_SIGNIFICANT_DIGITS, so each stated value is within 0.1% of the exact
 * nearest-rank percentile.
 */
import * as hdr from 'hdr-histogram-js';
import { HDR_SIGNIFICANT_DIGITS, type Percentiles } from './schema.ts';

export type Histogram = hdr.Histogram;

export function newHistogram(): Histogram {
  // JS (not WASM) histograms: nothing to initialise or destroy, and fast enough for 10^6 values.
  return hdr.build({
    bitBucketSize: 32,
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 2,
    numberOfSignificantValueDigits: HDR_SIGNIFICANT_DIGITS,
    useWebAssembly: false,
  });
}

/** Records a latency given in milliseconds (k6's unit) as integer microseconds. */
export function recordMs(h: Histogram, ms: number): void {
  if (!Number.isFinite(ms) || ms < 0) return;
  h.recordValue(Math.max(1, Math.round(ms * 1000)));
}

const usToMs = (us: number): number => us / 1000;

/** p50..p99.9 and max in ms, or null when nothing was recorded. */
export function percentilesMs(h: Histogram): Percentiles | null {
  if (h.totalCount === 0) return null;
  // HDR answers a bucket's top value; capped at the recorded max, p99.9 never exceeds max.
  const max = h.maxValue;
  const at = (p: number) => usToMs(Math.min(h.getValueAtPercentile(p), max));
  return { p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), max: usToMs(max) };
}

/** One point of a percentile spectrum: x = 1/(1-p), the axis HdrHistogram plots use. */
export interface SpectrumPoint {
  x: number;
  ms: number;
}

/**
 * Points on a log 1/(1-p) axis, 20 per decade, up to the last percentile the sample count
 * can resolve (1 - 1/N), then the max. A few hundred points for any N.
 */
export function spectrum(h: Histogram): SpectrumPoint[] {
  const n = h.totalCount;
  if (n === 0) return [];
  const points: SpectrumPoint[] = [];
  const top = Math.log10(Math.max(n, 2));
  for (let i = 0; i / 20 < top; i++) {
    const x = 10 ** (i / 20);
    const p = 100 * (1 - 1 / x);
    points.push({ x, ms: usToMs(Math.min(h.getValueAtPercentile(p), h.maxValue)) });
  }
  points.push({ x: n, ms: usToMs(h.maxValue) });
  return points;
}

/** Merges every interval histogram of an HdrHistogram log (.hlog) into one. */
export function readHlog(content: string): Histogram {
  const total = newHistogram();
  const reader = new hdr.HistogramLogReader(content, 32, false);
  // The reader's default range skips intervals that began before the log's start time.
  const next = () => reader.nextIntervalHistogram(-Infinity);
  for (let h = next(); h; h = next()) {
    total.add(h);
  }
  return total;
}

/** Writes interval histograms in the .hlog format (used by the fixture generator and tests). */
export function writeHlog(intervals: { startMs: number; endMs: number; h: Histogram }[]): string {
  let out = '';
  const writer = new hdr.HistogramLogWriter((s) => {
    out += s;
  });
  writer.outputLogFormatVersion();
  const start = intervals[0]?.startMs ?? 0;
  writer.outputStartTime(start);
  writer.baseTime = start;
  writer.outputLegend();
  for (const { startMs, endMs, h } of intervals) {
    h.startTimeStampMsec = startMs;
    h.endTimeStampMsec = endMs;
    writer.outputIntervalHistogram(h);
  }
  return out;
}
