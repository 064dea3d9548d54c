/**
 * One HdrHistogram log (.hlog) of the run, written from the engine's cumulative histograms:
 * each appended interval is the difference between two successive snapshots, so a snapshot
 * the collector failed to read is covered by the next one and no sample is lost.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import * as hdr from 'hdr-histogram-js';

export interface Snapshot {
  /** base64-compressed cumulative histogram. */
  base64: string;
  /** The engine's start (identifies the engine process) and the snapshot's time, epoch ms. */
  startMs: number;
  endMs: number;
}

export class HlogFile {
  private readonly out: WriteStream;
  private readonly writer: hdr.HistogramLogWriter;
  private previous: { h: hdr.Histogram; startMs: number; endMs: number } | undefined;

  constructor(
    file: string,
    private readonly t0: number,
  ) {
    mkdirSync(dirname(file), { recursive: true });
    this.out = createWriteStream(file);
    this.writer = new hdr.HistogramLogWriter((s) => this.out.write(s));
    this.writer.outputLogFormatVersion();
    this.writer.outputStartTime(t0);
    this.writer.baseTime = t0;
    this.writer.outputLegend();
  }

  /**
   * Appends what the snapshot holds beyond the previous one and returns that interval's p50
   * and p99 in ms (values are microseconds). A new engine (another startMs) or a smaller
   * count starts over from the snapshot: the engine restarted, and what it had recorded
   * after the last read died with it. A snapshot that cannot be decoded or is not a superset
   * of the previous one writes nothing and reads unknown: its samples are then missing from
   * the log, which the summary names (e2eSamples), rather than stopping the run.
   */
  append(s: Snapshot): { p50: number | null; p99: number | null } {
    let cur: hdr.Histogram;
    try {
      cur = hdr.decodeFromCompressedBase64(s.base64);
    } catch {
      return { p50: null, p99: null };
    }
    const prev = this.previous;
    const sameEngine =
      prev !== undefined && prev.startMs === s.startMs && cur.totalCount >= prev.h.totalCount;
    const later = !sameEngine || holdsAll(cur, prev.h);
    const interval = hdr.decodeFromCompressedBase64(s.base64);
    this.previous = { h: cur, startMs: s.startMs, endMs: s.endMs };
    try {
      // subtract() checks the other's highest value against the lowest value of this one's
      // top sub-bucket, so a maximum in that sub-bucket throws although it fits; resizing lets it.
      interval.autoResize = true;
      if (!later) return { p50: null, p99: null };
      if (sameEngine) interval.subtract(prev.h);
      if (interval.totalCount === 0) return { p50: null, p99: null };
      // An engine started before the run: its first interval is dated from the run's start.
      interval.startTimeStampMsec = Math.max(this.t0, sameEngine ? prev.endMs : s.startMs);
      interval.endTimeStampMsec = Math.max(interval.startTimeStampMsec, s.endMs);
      this.writer.outputIntervalHistogram(interval);
      return {
        p50: interval.getValueAtPercentile(50) / 1000,
        p99: interval.getValueAtPercentile(99) / 1000,
      };
    } catch {
      return { p50: null, p99: null };
    } finally {
      prev?.h.destroy();
      interval.destroy();
    }
  }

  close(): Promise<void> {
    this.previous?.h.destroy();
    this.previous = undefined;
    return new Promise((resolve) => this.out.end(resolve));
  }
}

/**
 * Whether `later` holds at least `earlier`'s count at each of its values. Counts are unsigned,
 * so subtracting a snapshot that is not a later reading would wrap rather than go negative.
 */
function holdsAll(later: hdr.Histogram, earlier: hdr.Histogram): boolean {
  type Counts = {
    countsArrayLength: number;
    getCountAtIndex(i: number): number;
    valueFromIndex(i: number): number;
    countsArrayIndex(v: number): number;
  };
  const a = later as unknown as Counts;
  const b = earlier as unknown as Counts;
  for (let i = 0; i < b.countsArrayLength; i++) {
    const n = b.getCountAtIndex(i);
    if (n === 0) continue;
    const j = a.countsArrayIndex(b.valueFromIndex(i));
    if (j >= a.countsArrayLength || a.getCountAtIndex(j) < n) return false;
  }
  return true;
}
