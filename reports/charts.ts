/**
 * Chart specs: plain data the page's script hands to uPlot. Every time chart shares one
 * x axis (seconds since each run's start) so backends line up, and carries the fault
 * windows of every run (chaos.json, as applied) to shade.
 */

import type { TimelinePoint } from '../contract/schema.ts';
import type { Configuration } from './configurations.ts';
import type { RunData } from './read-run.ts';

export type YFormat = 'ms' | 'count' | 'perS' | 'pct' | 'mib' | 'state';

export interface Series {
  label: string;
  color: string;
  dash?: number[];
  step?: boolean;
  values: (number | null)[];
}

export interface ChartSpec {
  id: string;
  title: string;
  kind: 'time' | 'spectrum';
  y: { label: string; format: YFormat; log?: boolean };
  x: number[];
  series: Series[];
  thresholds: { label: string; value: number; color: string }[];
  windows: { from: number; to: number; label: string; color: string; step: number }[];
}

/** The most legend entries a chart carries: more reads as noise, not as a comparison. */
export const MAX_LEGEND = 10;

/**
 * One series per configuration, drawn from its median run, so a matrix of many repeats keeps
 * one legend entry per configuration and series. Per-process CPU and RSS are a table
 * (processTable), not lines.
 */
export function buildCharts(runs: RunData[], configs: Configuration[]): ChartSpec[] {
  const reps = configs.map((c) => runs[c.rep]!);
  const colors = configs.map((c) => c.color);
  const names = configs.map((c) => c.name);
  const maxT = Math.max(0, ...reps.flatMap((r) => r.timeline.map((p) => p.t)));
  const x = Array.from({ length: Math.floor(maxT) + 1 }, (_, t) => t);
  const at = (r: RunData, f: (p: TimelinePoint) => number | null) => {
    const values: (number | null)[] = x.map(() => null);
    for (const p of r.timeline) values[Math.floor(p.t)] = f(p);
    return values;
  };
  const windows = reps.flatMap((r, i) =>
    (r.chaos?.events ?? [])
      .filter((e) => e.appliedAtS !== null)
      .map((e) => ({
        from: e.appliedAtS!,
        to: e.removedAtS ?? maxT,
        label: e.label,
        color: colors[i]!,
        step: e.step,
      })),
  );
  const time = (
    id: string,
    title: string,
    y: ChartSpec['y'],
    series: Series[],
    thresholds: ChartSpec['thresholds'] = [],
  ): ChartSpec => ({ id, title, kind: 'time', y, x, series, thresholds, windows });
  const perConfig = (make: (r: RunData, name: string, color: string) => Series[]) =>
    reps.flatMap((r, i) => make(r, names[i]!, colors[i]!));

  const breakerIndex = { closed: 0, 'half-open': 1, open: 2, isolated: 3 } as Record<
    string,
    number
  >;
  const breakerNames = [
    ...new Set(reps.flatMap((r) => r.timeline.flatMap((p) => Object.keys(p.breakers)))),
  ];
  // A second line per configuration (k6's sent, p50, shed) only where the legend has room.
  const withSent = configs.length * 2 + 1 <= MAX_LEGEND;
  const two = configs.length * 2 <= MAX_LEGEND;
  const queued = (r: RunData) => r.timeline.some((p) => typeof p.producerQueue === 'number');
  const hasQueue = reps.some(queued);
  const producerQueueSeries = (r: RunData, label: string, color: string): Series => ({
    label,
    color,
    dash: [8, 4],
    values: at(r, (p) => p.producerQueue ?? null),
  });

  return [
    time('rate', 'Target vs achieved rate', { label: 'requests/s', format: 'perS' }, [
      // One load shape for every configuration of a comparison: one target line.
      ...(reps[0]
        ? [
            {
              label: 'target',
              color: '#5b6475',
              dash: [2, 3],
              values: at(reps[0], (p) => p.targetRps),
            },
          ]
        : []),
      ...perConfig((r, n, c) => [
        ...(withSent
          ? [
              {
                label: `${n} sent (k6)`,
                color: c,
                dash: [8, 4],
                values: x.map((t) => (r.sentPerS.length ? (r.sentPerS[t] ?? 0) : null)),
              },
            ]
          : []),
        { label: `${n} accepted`, color: c, values: at(r, (p) => p.acceptedPerS) },
      ]),
    ]),
    time(
      'http-latency',
      'HTTP latency over time (per-second p50, p99)',
      { label: 'ms', format: 'ms', log: true },
      perConfig((r, n, c) => [
        ...(two ? [{ label: `${n} p50`, color: c, values: at(r, (p) => p.httpP50) }] : []),
        { label: `${n} p99`, color: c, dash: [8, 4], values: at(r, (p) => p.httpP99) },
      ]),
    ),
    time(
      'e2e-latency',
      'End-to-end latency over time (per-second p50, p99)',
      { label: 'ms', format: 'ms', log: true },
      perConfig((r, n, c) => [
        ...(two ? [{ label: `${n} p50`, color: c, values: at(r, (p) => p.e2eP50) }] : []),
        { label: `${n} p99`, color: c, dash: [8, 4], values: at(r, (p) => p.e2eP99) },
      ]),
    ),
    spectrumChart(
      'http-spectrum',
      'HTTP latency by percentile (all requests)',
      reps,
      names,
      colors,
      'http',
    ),
    spectrumChart(
      'e2e-spectrum',
      'End-to-end latency by percentile (all events)',
      reps,
      names,
      colors,
      'e2e',
    ),
    // The producer's queue beside the consumer's backlog where the legend has room for both,
    // else on a chart of its own; a run that never read it (an older one) draws no line.
    time(
      'backlog',
      two && hasQueue
        ? 'Backlog: accepted, not yet delivered (solid) and in the producer, not yet acked (dashed)'
        : 'Backlog (accepted − delivered)',
      { label: 'events', format: 'count' },
      perConfig((r, n, c) => [
        {
          label: two && hasQueue ? `${n} not delivered` : n,
          color: c,
          values: at(r, (p) => p.backlog),
        },
        ...(two && queued(r) ? [producerQueueSeries(r, `${n} producer queue`, c)] : []),
      ]),
      criticalLines(reps, names, colors),
    ),
    ...(!two && hasQueue
      ? [
          time(
            'producer-queue',
            'Producer queue: records queued or in flight to the broker, not yet acked',
            { label: 'records', format: 'count' },
            perConfig((r, n, c) => (queued(r) ? [producerQueueSeries(r, n, c)] : [])),
          ),
        ]
      : []),
    // Small multiples: one chart per breaker, one line per configuration.
    ...breakerNames.map((b) =>
      time(
        `breaker-${b}`,
        `Breaker state: ${b}`,
        { label: 'state', format: 'state' },
        perConfig((r, n, c) =>
          r.timeline.some((p) => p.breakers[b] !== undefined)
            ? [
                {
                  label: n,
                  color: c,
                  step: true,
                  values: at(r, (p) =>
                    p.breakers[b] === undefined ? null : (breakerIndex[p.breakers[b]!] ?? null),
                  ),
                },
              ]
            : [],
        ),
      ),
    ),
    time(
      'dlq',
      'Dead-lettered and shed (cumulative)',
      { label: 'events', format: 'count' },
      perConfig((r, n, c) => [
        { label: `${n} DLQ`, color: c, values: at(r, (p) => p.dlqTotal) },
        ...(two
          ? [{ label: `${n} shed`, color: c, dash: [2, 3], values: at(r, (p) => p.shedTotal) }]
          : []),
      ]),
    ),
  ];
}

/** Percentile spectra share one x grid (the union of every run's 1/(1-p) points). */
function spectrumChart(
  id: string,
  title: string,
  runs: RunData[],
  names: string[],
  colors: string[],
  which: 'http' | 'e2e',
): ChartSpec {
  const x = [...new Set(runs.flatMap((r) => r.spectra[which].map((p) => p.x)))].sort(
    (a, b) => a - b,
  );
  const index = new Map(x.map((v, i) => [v, i]));
  const series = runs.map((r, i): Series => {
    const values: (number | null)[] = x.map(() => null);
    for (const p of r.spectra[which]) values[index.get(p.x)!] = p.ms;
    return { label: names[i]!, color: colors[i]!, values };
  });
  return {
    id,
    title,
    kind: 'spectrum',
    y: { label: 'ms', format: 'ms', log: true },
    x,
    series,
    thresholds: [],
    windows: [],
  };
}

/** One line per distinct backlog-critical threshold, naming the runs it belongs to. */
function criticalLines(
  runs: RunData[],
  names: string[],
  colors: string[],
): ChartSpec['thresholds'] {
  const byValue = new Map<number, number[]>();
  runs.forEach((r, i) => {
    const v = r.manifest.backlogCritical;
    if (typeof v === 'number') byValue.set(v, [...(byValue.get(v) ?? []), i]);
  });
  return [...byValue].map(([value, idx]) => ({
    label: `critical backlog (${idx.map((i) => names[i]).join(', ')})`,
    value,
    color: idx.length === 1 ? colors[idx[0]!]! : '#c92a2a',
  }));
}
