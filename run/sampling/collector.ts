/**
 * The 1 Hz collector: every second it reads the engine's /status, /metrics and /histograms
 * and the CPU and RSS of each process under test, and appends one TimelinePoint to
 * timeline.ndjson and the histograms' growth since the last good read to their .hlog. Ticks
 * are aligned to the run's clock (t0), so the timeline, the chaos record and k6's samples
 * share one time axis.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { RESULTS } from '../../contract/layout.ts';
import { HISTOGRAM_FILES, type TimelinePoint } from '../../contract/schema.ts';
import type { HistogramsSnapshot } from '../../engine/monitor/histograms.ts';
import type { EngineStatus } from '../../engine/status.ts';
import { readHistograms, readMetrics, readStatus } from '../engines.ts';
import { HlogFile } from './hlog-file.ts';
import { sampleProcesses } from './procstats.ts';
import { type Buckets, quantileMs, readBuckets, subtract } from './prom.ts';

export interface CollectorOptions {
  /** Every engine instance's own URL (`--producers`): their figures are summed. */
  engineUrls: string[];
  dir: string;
  /** The run's start, epoch ms. */
  t0: number;
  targetRps(tS: number): number | null;
  activeFaults(): string[];
  pids(): Record<string, number | undefined>;
  onPoint?(point: TimelinePoint, status: EngineStatus | null): void;
  /** Fields sampled elsewhere (drivers/kafka/leader-sampler.ts), merged into each point. */
  extra?(): Partial<TimelinePoint>;
  /** Called once the last sample is taken, to stop what feeds `extra`. */
  onStop?(): Promise<void>;
}

const HTTP_METRIC = 'hunt_http_request_duration_seconds';

/** `HuntBreakerOpen/downstream`: one name per alert instance, its labels' values appended. */
export function alertName(a: { name: string; labels: Record<string, string> }): string {
  const values = Object.values(a.labels);
  return values.length > 0 ? `${a.name}/${values.join('/')}` : a.name;
}

function merge(all: Buckets[]): Buckets {
  const out: Buckets = new Map();
  for (const b of all) for (const [le, n] of b) out.set(le, (out.get(le) ?? 0) + n);
  return out;
}

export class Collector {
  private readonly timeline: WriteStream;
  private readonly e2e: HlogFile;
  private readonly publish: HlogFile;
  private timer: NodeJS.Timeout | undefined;
  private previous: EngineStatus | null = null;
  private previousBuckets: Buckets | undefined;
  /** The last ten one-second HTTP bucket deltas, for the live p99 of the last 10 s. */
  private readonly recentHttp: Buckets[] = [];
  private ticking: Promise<void> = Promise.resolve();
  readonly points: TimelinePoint[] = [];

  constructor(private readonly o: CollectorOptions) {
    mkdirSync(o.dir, { recursive: true });
    this.timeline = createWriteStream(join(o.dir, RESULTS.timeline));
    this.e2e = new HlogFile(join(o.dir, HISTOGRAM_FILES.e2e), o.t0);
    this.publish = new HlogFile(join(o.dir, HISTOGRAM_FILES.publish), o.t0);
  }

  start(): void {
    const tick = () => {
      this.ticking = this.ticking.then(() => this.sample()).catch(() => {});
      const next = 1000 - ((Date.now() - this.o.t0) % 1000);
      this.timer = setTimeout(tick, next);
    };
    this.timer = setTimeout(tick, 1000 - ((Date.now() - this.o.t0) % 1000));
  }

  /** Takes one last sample (the drained state), then closes the files. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    await this.ticking;
    await this.sample();
    await Promise.all([
      new Promise<void>((resolve) => this.timeline.end(resolve)),
      this.e2e.close(),
      this.publish.close(),
      this.o.onStop?.(),
    ]);
  }

  /** One sample now; start() takes one each second. */
  async sample(): Promise<void> {
    const t = Math.max(0, Math.round((Date.now() - this.o.t0) / 100) / 10);
    const urls = this.o.engineUrls;
    const [status, metrics, histograms, processes] = await Promise.all([
      readStatus(urls, 900),
      readMetrics(urls),
      readHistograms(urls),
      sampleProcesses(this.o.pids()),
    ]);
    const point = this.point(t, status, metrics, histograms, processes);
    this.points.push(point);
    this.timeline.write(`${JSON.stringify(point)}\n`);
    this.o.onPoint?.(point, status);
  }

  private point(
    t: number,
    status: EngineStatus | null,
    metrics: string | null,
    histograms: HistogramsSnapshot | null,
    processes: TimelinePoint['processes'],
  ): TimelinePoint {
    const prev = this.previous;
    const dt = prev && status ? Math.max(0.001, (status.now - prev.now) / 1000) : 1;
    const rate = (pick: (s: EngineStatus) => number) =>
      status && prev ? Math.max(0, (pick(status) - pick(prev)) / dt) : 0;
    let http: Buckets | undefined;
    if (metrics) {
      const now = readBuckets(metrics, HTTP_METRIC);
      http = subtract(now, this.previousBuckets);
      this.previousBuckets = now;
      this.recentHttp.push(http);
      if (this.recentHttp.length > 10) this.recentHttp.shift();
    }
    const { startMs, endMs } = histograms ?? { startMs: 0, endMs: 0 };
    const e2e = histograms ? this.e2e.append({ base64: histograms.e2e, startMs, endMs }) : null;
    if (histograms) this.publish.append({ base64: histograms.publish, startMs, endMs });
    const last = status ?? prev;
    if (status) this.previous = status;
    const c = last?.counts;
    return {
      t,
      targetRps: this.o.targetRps(t),
      requestsPerS: rate(
        (s) =>
          s.counts.accepted + s.counts.shed.total + s.counts.rejected.total + s.counts.failed.total,
      ),
      acceptedPerS: rate((s) => s.counts.accepted),
      deliveredPerS: rate((s) => s.counts.delivered),
      httpP50: http ? quantileMs(http, 0.5) : null,
      httpP99: http ? quantileMs(http, 0.99) : null,
      httpP99Last10s: quantileMs(merge(this.recentHttp), 0.99),
      e2eP50: e2e?.p50 ?? null,
      e2eP99: e2e?.p99 ?? null,
      backlog: last?.backlog.events ?? 0,
      brokerLag: last?.backlog.broker?.value ?? null,
      brokerLagKind: last?.backlog.broker?.kind ?? null,
      // This second's own reading only: an unread status is unknown, not the last value.
      producerQueue: status?.backlog.producerQueue ?? null,
      brokerThrottled: status?.producer?.throttled ?? null,
      accepted: c?.accepted ?? 0,
      delivered: c?.delivered ?? 0,
      dlqTotal: c?.dlq.total ?? 0,
      shedTotal: c?.shed.total ?? 0,
      breakers: Object.fromEntries(
        Object.entries(last?.breakers ?? {}).map(([name, b]) => [name, b.state]),
      ),
      alerts: (last?.alerts ?? []).filter((a) => a.state === 'firing').map(alertName),
      faults: this.o.activeFaults(),
      processes,
      engineUp: status !== null,
      ...this.o.extra?.(),
    };
  }
}
