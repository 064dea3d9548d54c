/**
 * Which figures rest on which fidelity dimensions: a figure resting on a dimension that was
 * absent or only assumed is not decision-grade, and the report badges it. Loss and the DLQ
 * rate come from the engine's own logic and rest on none of them.
 */
import type { Dimension, DimensionName, RunFidelity } from '../contract/fidelity-schema.ts';

export interface FigureFidelity {
  label: string;
  /** Metric keys of the report's table (reports/metrics.ts) this row covers. */
  keys: RegExp;
  restsOn: DimensionName[];
}

export const FIGURES: FigureFidelity[] = [
  { label: 'HTTP latency', keys: /^http\./, restsOn: ['produceLatency', 'replication', 'network'] },
  {
    label: 'end-to-end latency',
    keys: /^e2e\./,
    restsOn: ['produceLatency', 'readPropagation', 'replication', 'network'],
  },
  {
    label: 'time to drain',
    keys: /^backlog\.drainS$/,
    restsOn: ['readPropagation', 'produceLatency'],
  },
  {
    label: 'backlog peak',
    keys: /^backlog\.max$/,
    restsOn: ['readPropagation', 'shardLimits', 'capacityMode'],
  },
  {
    label: 'throughput, shed',
    keys: /^(throughput\.|accepted$|shed$)/,
    restsOn: ['produceLatency', 'shardLimits', 'capacityMode'],
  },
  { label: 'lost, duplicates, DLQ rate', keys: /^(lost|duplicates|dlq\.)/, restsOn: [] },
];

export const DIMENSION_LABELS: Record<DimensionName, string> = {
  produceLatency: 'produce latency',
  replication: 'replication',
  readPropagation: 'read propagation',
  shardLimits: 'shard limits',
  capacityMode: 'capacity mode',
  failureModel: 'failure model',
  network: 'network',
};

/** A dimension the figures cannot lean on: absent, unknown, assumed, or not recorded at all. */
export function weakness(d: Dimension | undefined): string | null {
  if (!d) return 'not recorded';
  if (d.level === 'absent' || d.level === 'unknown') return d.level;
  if (d.level === 'emulated' && d.status === 'assumed') return 'assumed';
  return null;
}

/** Why a figure of this run is not decision-grade, or null when it is; unknown keys rest on nothing listed. */
export function figureWeakness(key: string, fidelity: RunFidelity | undefined): string | null {
  const fig = FIGURES.find((f) => f.keys.test(key));
  return fig ? restsOnWeak(fig, fidelity) : null;
}

/** Why a row of FIGURES is not decision-grade for this run, or null when it is. */
export function restsOnWeak(fig: FigureFidelity, fidelity: RunFidelity | undefined): string | null {
  const weak = fig.restsOn.flatMap((d) => {
    const w = weakness(fidelity?.dimensions[d]);
    return w ? [`${DIMENSION_LABELS[d]} ${w}`] : [];
  });
  return weak.length > 0 ? `rests on ${weak.join(', ')}` : null;
}
