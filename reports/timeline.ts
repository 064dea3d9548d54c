/** Reading timeline.ndjson and the run-level figures derived from it. */
import { readFile } from 'node:fs/promises';
import { ReportInputError } from '../contract/errors.ts';
import { TimelinePoint } from '../contract/schema.ts';

export async function readTimeline(file: string): Promise<TimelinePoint[]> {
  const text = await readFile(file, 'utf8');
  const points: TimelinePoint[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new ReportInputError(`${file}:${i + 1}: not JSON`);
    }
    const parsed = TimelinePoint.safeParse(json);
    if (!parsed.success)
      throw new ReportInputError(`${file}:${i + 1}: ${parsed.error.issues[0]?.message}`);
    points.push(parsed.data);
  }
  return points;
}

/**
 * Max backlog, and seconds from that peak until the backlog is back under 1% of it; when it
 * never was, the seconds to the run's end and `drained` false (a lower bound, not a time).
 * All null without a point: a missing timeline measured nothing, not an empty backlog.
 */
export function backlogFigures(points: TimelinePoint[]): {
  max: number | null;
  drainS: number | null;
  drained: boolean | null;
} {
  if (points.length === 0) return { max: null, drainS: null, drained: null };
  let max = 0;
  let peakAt = 0;
  for (const p of points) {
    if (p.backlog > max) {
      max = p.backlog;
      peakAt = p.t;
    }
  }
  if (max === 0) return { max: 0, drainS: 0, drained: true };
  const drained = points.find((p) => p.t > peakAt && p.backlog <= max * 0.01);
  const end = drained?.t ?? points.at(-1)?.t ?? peakAt;
  return { max, drainS: end - peakAt, drained: drained !== undefined };
}

/**
 * The producer side: the peak of records queued or in flight in the engine's producer, and the
 * last cumulative count of records the broker throttled. Null where no point read them (an
 * older run, an engine never read): unknown, not none.
 */
export function producerFigures(points: TimelinePoint[]): {
  producerQueuePeak: number | null;
  brokerThrottled: number | null;
} {
  let peak: number | null = null;
  let throttled: number | null = null;
  for (const p of points) {
    if (typeof p.producerQueue === 'number') peak = Math.max(peak ?? 0, p.producerQueue);
    if (typeof p.brokerThrottled === 'number') throttled = p.brokerThrottled;
  }
  return { producerQueuePeak: peak, brokerThrottled: throttled };
}

/** Breaker opens (transitions into 'open') and seconds spent open, over all breakers; null without a timeline. */
export function breakerFigures(points: TimelinePoint[]): {
  opens: number | null;
  openS: number | null;
} {
  if (points.length === 0) return { opens: null, openS: null };
  const last = new Map<string, string>();
  let opens = 0;
  let openS = 0;
  for (const p of points) {
    for (const [name, state] of Object.entries(p.breakers)) {
      if (state === 'open') {
        openS++;
        if (last.get(name) !== 'open' && last.get(name) !== 'half-open') opens++;
      }
      last.set(name, state);
    }
  }
  return { opens, openS };
}
