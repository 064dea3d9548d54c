import { build, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';

/**
 * What `GET /histograms` answers: everything recorded since the engine started. Reading does
 * not reset, so a read that fails or times out loses nothing: the reader takes the difference
 * of two successive answers, and a missed one is covered by the next.
 */
export interface HistogramsSnapshot {
  /** When the engine started recording (epoch ms): a different value means a new engine. */
  startMs: number;
  /** When this snapshot was taken, epoch ms. */
  endMs: number;
  /** Values are microseconds. */
  unit: 'us';
  /** HDR histograms (3 significant digits), compressed and base64-encoded (HdrHistogram's V2 format). */
  e2e: string;
  publish: string;
  /** Samples in each, since startMs. */
  counts: { e2e: number; publish: number };
}

/**
 * Cumulative HDR histograms of end-to-end latency (publish ts → applied) and publish latency
 * (request → broker ack), in integer microseconds.
 */
export class LatencyHistograms {
  private readonly e2e: Histogram;
  private readonly publish: Histogram;
  private readonly startMs: number;

  constructor(private readonly now: () => number) {
    const req = {
      numberOfSignificantValueDigits: 3 as const,
      lowestDiscernibleValue: 1,
      autoResize: true,
      useWebAssembly: false,
    };
    this.e2e = build(req);
    this.publish = build(req);
    this.startMs = now();
  }

  recordE2eMs(ms: number): void {
    this.e2e.recordValue(Math.max(1, Math.round(ms * 1000)));
  }

  recordPublishMs(ms: number): void {
    this.publish.recordValue(Math.max(1, Math.round(ms * 1000)));
  }

  cumulative(): HistogramsSnapshot {
    const endMs = this.now();
    for (const h of [this.e2e, this.publish]) {
      h.startTimeStampMsec = this.startMs;
      h.endTimeStampMsec = endMs;
    }
    return {
      startMs: this.startMs,
      endMs,
      unit: 'us',
      e2e: encodeIntoCompressedBase64(this.e2e),
      publish: encodeIntoCompressedBase64(this.publish),
      counts: { e2e: this.e2e.totalCount, publish: this.publish.totalCount },
    };
  }
}
