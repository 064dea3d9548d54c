/**
 * Chart specs: plain data the page's script hands to uPlot. Every time chart shares one
 * x axis (seconds since each run's start) so backends line up, and carries the fault
 * windows of every run (chaos.json, as applied) to shade.
 */

import type { TimelinePoint } from '../contract/schema.ts';
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

const PALETTE: Record<string, string> = { kafka: '#1f6fc5', kinesis: '#e0701b', memory: '#2b9348' };
const EXTRA = ['#8e44ad', '#c0392b', '#16a085', '#7f8c8d'];
export const DASHES = [[], [8, 4], [2, 3], [12, 4, 2, 4], [4, 2], [1, 5]];

/** One colour per run: its backend's, or a spare one when two runs share a backend. */
export function runColors(runs: RunData[]): string[] {
  const used = new Set<string>();
  return runs.map((r, i) => {
    const c = PALETTE[r.manifest.backend];
    const color = c && !used.has(c) ? c : EXTRA[i % EXTRA.length]!;
    used.add(color);
    return color;
  });
}

export const runName = (r: RunData, runs: RunData[]): string =>
  runs.filter((o) => o.manifest.backend === r.manifest.backend).length > 1
    ? `${r.manifest.backend} (${r.manifest.runId})`
    : r.manifest.backend;

export function buildCharts(runs: RunData[]): ChartSpec[] {
  const colors = runColors(runs);
  const names = runs.map((r) => runName(r, runs));
  const maxT = Math.max(0, ...runs.flatMap((r) => r.timeline.map((p) => p.t)));
  const x = Array.from({ length: Math.floor(maxT) + 1 }, (_, t) => t);
  const at = (r: RunData, f: (p: TimelinePoint) => number | null) => {
    const values: (number | null)[] = x.map(() => null);
    for (const p of r.timeline) values[Math.floor(p.t)] = f(p);
    return values;
  };
  const windows = runs.flatMap((r, i) =>
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
  const perRun = (make: (r: RunData, name: string, color: string) => Series[]) =>
    runs.flatMap((r, i) => make(r, names[i]!, colors[i]!));

  const breakerIndex = { closed: 0, 'half-open': 1, open: 2, isolated: 3 } as Record<
    string,
    number
  >;
  const processNames = (r: RunData) => [
    ...new Set(r.timeline.flatMap((p) => Object.keys(p.processes))),
  ];
  const breakerNames = (r: RunData) => [
    ...new Set(r.timeline.flatMap((p) => Object.keys(p.breakers))),
  ];

  return [
    time(
      'rate',
      'Target vs achieved rate',
      { label: 'requests/s', format: 'perS' },
      perRun((r, n, c) => [
        { label: `${n} target`, color: c, dash: [2, 3], values: at(r, (p) => p.targetRps) },
        {
          label: `${n} sent (k6)`,
          color: c,
          dash: [8, 4],
          values: x.map((t) => (r.sentPerS.length ? (r.sentPerS[t] ?? 0) : null)),
        },
        { label: `${n} accepted`, color: c, values: at(r, (p) => p.acceptedPerS) },
      ]),
    ),
    time(
      'http-latency',
      'HTTP latency over time (per-second p50, p99)',
      { label: 'ms', format: 'ms', log: true },
      perRun((r, n, c) => [
        { label: `${n} p50`, color: c, values: at(r, (p) => p.httpP50) },
        { label: `${n} p99`, color: c, dash: [8, 4], values: at(r, (p) => p.httpP99) },
      ]),
    ),
    time(
      'e2e-latency',
      'End-to-end latency over time (per-second p50, p99)',
      { label: 'ms', format: 'ms', log: true },
      perRun((r, n, c) => [
        { label: `${n} p50`, color: c, values: at(r, (p) => p.e2eP50) },
        { label: `${n} p99`, color: c, dash: [8, 4], values: at(r, (p) => p.e2eP99) },
      ]),
    ),
    spectrumChart(
      'http-spectrum',
      'HTTP latency by percentile (all requests)',
      runs,
      names,
      colors,
      'http',
    ),
    spectrumChart(
      'e2e-spectrum',
      'End-to-end latency by percentile (all events)',
      runs,
      names,
      colors,
      'e2e',
    ),
    time(
      'backlog',
      'Backlog (accepted − delivered)',
      { label: 'events', format: 'count' },
      perRun((r, n, c) => [{ label: n, color: c, values: at(r, (p) => p.backlog) }]),
      criticalLines(runs, names, colors),
    ),
    time(
      'breakers',
      'Breaker state',
      { label: 'state', format: 'state' },
      perRun((r, n, c) =>
        breakerNames(r).map((b, j) => ({
          label: `${n} ${b}`,
          color: c,
          step: true,
          dash: DASHES[j % DASHES.length],
          values: at(r, (p) =>
            p.breakers[b] === undefined ? null : (breakerIndex[p.breakers[b]!] ?? null),
          ),
        })),
      ),
    ),
    time(
      'dlq',
      'Dead-lettered and shed (cumulative)',
      { label: 'events', format: 'count' },
      perRun((r, n, c) => [
        { label: `${n} DLQ`, color: c, values: at(r, (p) => p.dlqTotal) },
        { label: `${n} shed`, color: c, dash: [2, 3], values: at(r, (p) => p.shedTotal) },
      ]),
    ),
    time(
      'cpu',
      'CPU per process',
      { label: '% of one core', format: 'pct' },
      perRun((r, n, c) =>
        processNames(r).map((proc, j) => ({
          label: `${n} ${proc}`,
          color: c,
          dash: DASHES[j % DASHES.length],
          values: at(r, (p) => p.processes[proc]?.cpuPct ?? null),
        })),
      ),
    ),
    time(
      'rss',
      'Memory (RSS) per process',
      { label: 'MiB', format: 'mib' },
      perRun((r, n, c) =>
        processNames(r).map((proc, j) => ({
          label: `${n} ${proc}`,
          color: c,
          dash: DASHES[j % DASHES.length],
          values: at(r, (p) => p.processes[proc]?.rssMiB ?? null),
        })),
      ),
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
