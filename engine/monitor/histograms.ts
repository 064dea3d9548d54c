import { encodeIntoCompressedBase64, Recorder } from 'hdr-histogram-js';

/** What `GET /histograms` answers: the interval since the previous call. */
export interface HistogramsInterval {
  /** Interval start and end, epoch ms. */
  startMs: number;
  endMs: number;
  /** Values are microseconds. */
  unit: 'us';
  /** HDR histograms (3 significant digits), compressed and base64-encoded (HdrHistogram's V2 format). */
  e2e: string;
  publish: string;
  counts: { e2e: number; publish: number };
}

/**
 * Interval HDR histograms of end-to-end latency (publish ts → applied) and publish latency
 * (request → broker ack). Each call to `interval()` hands out what was recorded since the
 * previous call, so the collector can merge intervals without double counting.
 */
export class LatencyHistograms {
  private readonly e2e: Recorder;
  private readonly publish: Recorder;
  private last: number;

  constructor(private readonly now: () => number) {
    const req = {
      numberOfSignificantValueDigits: 3 as const,
      lowestDiscernibleValue: 1,
      autoResize: true,
    };
    this.e2e = new Recorder(req, now);
    this.publish = new Recorder(req, now);
    this.last = now();
  }

  recordE2eMs(ms: number): void {
    this.e2e.recordValue(Math.max(1, Math.round(ms * 1000)));
  }

  recordPublishMs(ms: number): void {
    this.publish.recordValue(Math.max(1, Math.round(ms * 1000)));
  }

  interval(): HistogramsInterval {
    const startMs = this.last;
    const endMs = this.now();
    this.last = endMs;
    const e2e = this.e2e.getIntervalHistogram();
    const publish = this.publish.getIntervalHistogram();
    for (const h of [e2e, publish]) {
      h.startTimeStampMsec = startMs;
      h.endTimeStampMsec = endMs;
    }
    const out: HistogramsInterval = {
      startMs,
      endMs,
      unit: 'us',
      e2e: encodeIntoCompressedBase64(e2e),
      publish: encodeIntoCompressedBase64(publish),
      counts: { e2e: e2e.totalCount, publish: publish.totalCount },
    };
    e2e.destroy();
    publish.destroy();
    return out;
  }
}
