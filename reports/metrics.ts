/**
 * The side-by-side table's rows: each figure's name, unit and better direction from
 * analysis/figures.ts, with how the report reads it from a run, so deltas and regression
 * flags come from one place.
 */

import { type Better, dlqRate, FIGURES, ratio, type Unit } from '../analysis/figures.ts';
import type { RunData } from './read-run.ts';

export type { Unit };

export interface MetricDef {
  key: string;
  group: string;
  label: string;
  unit: Unit;
  /** 'higher' when more is better (throughput); most figures are better lower. */
  better: Better;
  get(run: RunData): number | null;
}

const pct = ['p50', 'p90', 'p99', 'p999', 'max'] as const;
const pctLabel = { p50: 'p50', p90: 'p90', p99: 'p99', p999: 'p99.9', max: 'max' };

/** False for a run whose engine ran outside the harness (k6-operator): only k6 measured it. */
export const engineMeasured = (r: RunData) => r.manifest.load === undefined;

/** Figures only the harness's watch of the engine yields are unknown without it. */
const ENGINE_KEYS =
  /^(e2e\.|backlog\.|producer\.|dlq\.|breaker\.|alerts\.|lost$|duplicates$|shed$)/;

function engineSide(def: MetricDef): MetricDef {
  if (!ENGINE_KEYS.test(def.key)) return def;
  return { ...def, get: (r) => (engineMeasured(r) ? def.get(r) : null) };
}

export function metricDefs(runs: RunData[]): MetricDef[] {
  const defs: MetricDef[] = [
    {
      key: 'throughput.acceptedPerS',
      group: 'Throughput',
      ...FIGURES.acceptedPerS,
      get: (r) => r.summary.throughput.acceptedPerS,
    },
    {
      key: 'accepted',
      group: 'Throughput',
      ...FIGURES.accepted,
      get: (r) => r.summary.accepted,
    },
    ...pct.map(
      (p): MetricDef => ({
        key: `http.${p}`,
        group: 'HTTP latency of accepted writes, 202 (ms)',
        label: `HTTP ${pctLabel[p]}`,
        unit: 'ms',
        better: 'lower',
        get: (r) => r.summary.http?.[p] ?? null,
      }),
    ),
    ...pct.map(
      (p): MetricDef => ({
        key: `e2e.${p}`,
        group: 'End-to-end latency (ms)',
        label: `end-to-end ${pctLabel[p]}`,
        unit: 'ms',
        better: 'lower',
        get: (r) => r.summary.e2e?.[p] ?? null,
      }),
    ),
    {
      key: 'backlog.max',
      group: 'Backlog',
      ...FIGURES.backlogMax,
      get: (r) => r.summary.backlog.max,
    },
    {
      key: 'backlog.drainS',
      group: 'Backlog',
      ...FIGURES.drainS,
      get: (r) => r.summary.backlog.drainS,
    },
    // Absent from an older run's summary: unknown.
    {
      key: 'producer.queuePeak',
      group: 'Backlog',
      ...FIGURES.producerQueuePeak,
      get: (r) => r.summary.producerQueuePeak ?? null,
    },
    {
      key: 'producer.brokerThrottled',
      group: 'Backlog',
      ...FIGURES.brokerThrottled,
      get: (r) => r.summary.brokerThrottled ?? null,
    },
    {
      key: 'dlq.rate',
      group: 'Delivery',
      ...FIGURES.dlqRate,
      get: (r) => dlqRate(r.summary),
    },
  ];
  const reasons = [...new Set(runs.flatMap((r) => Object.keys(r.summary.dlq.byReason)))].sort();
  for (const reason of reasons) {
    defs.push({
      key: `dlq.byReason.${reason}`,
      group: 'Delivery',
      label: `DLQ rate: ${reason}`,
      unit: 'ratio',
      better: 'lower',
      // A reason a run did not list is 0 only when its DLQ was counted at all.
      get: (r) =>
        r.summary.dlq.total === null
          ? null
          : ratio(r.summary.dlq.byReason[reason] ?? 0, r.summary.accepted),
    });
  }
  defs.push(
    {
      key: 'lost',
      group: 'Delivery',
      ...FIGURES.lost,
      get: (r) => r.summary.lost,
    },
    {
      key: 'duplicates',
      group: 'Delivery',
      ...FIGURES.duplicates,
      get: (r) => r.summary.duplicates,
    },
    {
      key: 'shed',
      group: 'Delivery',
      ...FIGURES.shed,
      get: (r) => r.summary.shed,
    },
    {
      key: 'k6.errorRate',
      group: 'Delivery',
      ...FIGURES.httpErrorRate,
      get: (r) => r.k6.errorRate,
    },
    {
      key: 'breaker.opens',
      group: 'Resilience',
      ...FIGURES.breakerOpens,
      get: (r) => r.summary.breaker.opens,
    },
    {
      key: 'breaker.openS',
      group: 'Resilience',
      ...FIGURES.breakerOpenS,
      get: (r) => r.summary.breaker.openS,
    },
  );
  const alerts = [...new Set(runs.flatMap((r) => r.summary.alerts.map((a) => a.name)))].sort();
  for (const name of alerts) {
    defs.push({
      key: `alerts.${name}.lagS`,
      group: 'Resilience',
      label: `${name}: threshold to alert`,
      unit: 's',
      better: 'lower',
      get: (r) => r.summary.alerts.find((a) => a.name === name)?.lagS ?? null,
    });
  }
  return defs.map(engineSide);
}

/** Relative change of `value` against `ref` (0.1 = +10%), or null when it can't be stated. */
export function relDelta(value: number | null, ref: number | null): number | null {
  if (value === null || ref === null) return null;
  if (ref === 0) return value === 0 ? 0 : null;
  return (value - ref) / Math.abs(ref);
}

/** Worse than the reference by more than maxRegression (a fraction), in the metric's bad direction. */
export function isRegression(
  def: MetricDef,
  value: number | null,
  ref: number | null,
  maxRegression: number,
): boolean {
  if (value === null || ref === null) return false;
  const worse = def.better === 'lower' ? value - ref : ref - value;
  if (worse <= 0) return false;
  // From zero any increase is infinite in relative terms: flag it (lost events 0 -> 3 is news).
  return ref === 0 ? true : worse / Math.abs(ref) > maxRegression;
}
