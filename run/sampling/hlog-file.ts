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
   * after the last read died with it.
   */
  append(s: Snapshot): { p50: number | null; p99: number | null } {
    const cur = hdr.decodeFromCompressedBase64(s.base64);
    const prev = this.previous;
    const sameEngine =
      prev !== undefined && prev.startMs === s.startMs && cur.totalCount >= prev.h.totalCount;
    const interval = hdr.decodeFromCompressedBase64(s.base64);
    if (sameEngine) interval.subtract(prev.h);
    prev?.h.destroy();
    this.previous = { h: cur, startMs: s.startMs, endMs: s.endMs };
    try {
      if (interval.totalCount === 0) return { p50: null, p99: null };
      // An engine started before the run: its first interval is dated from the run's start.
      interval.startTimeStampMsec = Math.max(this.t0, sameEngine ? prev.endMs : s.startMs);
      interval.endTimeStampMsec = Math.max(interval.startTimeStampMsec, s.endMs);
      this.writer.outputIntervalHistogram(interval);
      return {
        p50: interval.getValueAtPercentile(50) / 1000,
        p99: interval.getValueAtPercentile(99) / 1000,
      };
    } finally {
      interval.destroy();
    }
  }

  close(): Promise<void> {
    this.previous?.h.destroy();
    this.previous = undefined;
    return new Promise((resolve) => this.out.end(resolve));
  }
}
