/**
 * The comparison matrix: one row per configuration (backend × engine design), each symptom
 * as its median across the row's repeats with a bootstrap interval (stats.ts). Built from
 * summaries alone, so it can be checked against each run's summary.json.
 */
import type { Summary } from '../contract/schema.ts';
import { dlqRate } from './figures.ts';
import { type Estimate, estimate } from './stats.ts';

export type Unit = 'events' | 's' | 'orders' | 'cents' | 'ratio' | 'per event' | 'calls';

export interface SymptomDef {
  key: string;
  label: string;
  unit: Unit;
  get: (s: Summary) => number | null;
}

const sales = (s: Summary) => s.symptoms.sales;

/** The symptoms in the order the report shows them; lower is better for each. */
export const SYMPTOMS: SymptomDef[] = [
  { key: 'backlogMax', label: 'backlog peak', unit: 'events', get: (s) => s.backlog.max },
  { key: 'drainS', label: 'time to drain', unit: 's', get: (s) => s.backlog.drainS },
  { key: 'detectS', label: 'time to detect', unit: 's', get: (s) => s.symptoms.detect.lagS },
  {
    key: 'downstreamErrorRate',
    label: 'downstream error rate',
    unit: 'ratio',
    get: (s) => s.symptoms.cascade.errorRate,
  },
  {
    key: 'downstreamUnserved',
    label: 'downstream calls not served',
    unit: 'calls',
    get: (s) => {
      const c = s.symptoms.cascade;
      return c.offered === null || c.served === null ? null : Math.max(0, c.offered - c.served);
    },
  },
  {
    key: 'retriesPerEvent',
    label: 'downstream retries per event',
    unit: 'per event',
    get: (s) => s.symptoms.cascade.retriesPerEvent,
  },
  {
    key: 'notAccepted',
    label: 'orders not accepted',
    unit: 'orders',
    get: (s) => sales(s).notAccepted?.orders ?? null,
  },
  {
    key: 'notFulfilled',
    label: 'orders not fulfilled',
    unit: 'orders',
    get: (s) => sales(s).notFulfilled?.orders ?? null,
  },
  { key: 'late', label: 'orders late', unit: 'orders', get: (s) => sales(s).late?.orders ?? null },
  { key: 'atRiskCents', label: 'revenue at risk', unit: 'cents', get: (s) => sales(s).atRiskCents },
  { key: 'lost', label: 'lost events', unit: 'events', get: (s) => s.lost },
  {
    key: 'undelivered',
    label: 'undelivered at the end',
    unit: 'events',
    get: (s) => s.undelivered,
  },
  {
    key: 'dlqRate',
    label: 'DLQ rate',
    unit: 'ratio',
    get: dlqRate,
  },
];

export interface MatrixRun {
  runId: string;
  complete: boolean;
  /** The host was busy before the run (load average above its cores); null: unknown. */
  hostBusy: boolean | null;
}

export interface MatrixRow {
  backend: string;
  /** The design the engine reported ('unknown' when it did not say), with the switches that
   * set it apart from other rows of the same design, e.g. `hardened (dlq off)`. */
  design: string;
  /** The engine's switches as it reported them; null when it did not. */
  switches: Record<string, boolean> | null;
  runs: MatrixRun[];
  figures: Record<string, Estimate>;
  /** Repeats in which the backlog crossed its threshold and the alert never fired. */
  detectNever: number;
  /** Budgets that failed, with the number of runs each failed in. */
  budgetsFailed: Record<string, number>;
}

export const UNKNOWN_DESIGN = 'unknown';
const DESIGN_ORDER = ['naive', 'hardened'];
const designRank = (d: string) => {
  const i = DESIGN_ORDER.indexOf(d);
  return i === -1 ? DESIGN_ORDER.length : i;
};

const signature = (s: Summary) =>
  JSON.stringify(Object.entries(s.switches ?? {}).sort(([a], [b]) => a.localeCompare(b)));

/** A design's label: its name, and the switches that vary among the runs of that name. */
function designLabels(summaries: Summary[]): (s: Summary) => string {
  const varying = new Map<string, Set<string>>();
  for (const s of summaries) {
    const name = s.design ?? UNKNOWN_DESIGN;
    for (const o of summaries) {
      if ((o.design ?? UNKNOWN_DESIGN) !== name) continue;
      for (const [k, v] of Object.entries(s.switches ?? {}))
        if (o.switches?.[k] !== undefined && o.switches[k] !== v)
          varying.set(name, (varying.get(name) ?? new Set()).add(k));
    }
  }
  return (s) => {
    const name = s.design ?? UNKNOWN_DESIGN;
    const keys = [...(varying.get(name) ?? [])].sort();
    if (keys.length === 0) return name;
    return `${name} (${keys.map((k) => `${k} ${s.switches?.[k] ? 'on' : 'off'}`).join(', ')})`;
  };
}

export function buildMatrix(summaries: Summary[]): MatrixRow[] {
  const label = designLabels(summaries);
  const groups = new Map<string, Summary[]>();
  for (const s of summaries) {
    const key = `${s.backend}\u0000${s.design ?? UNKNOWN_DESIGN}\u0000${signature(s)}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return [...groups.values()]
    .map(
      (mine): MatrixRow => ({
        backend: mine[0]!.backend,
        design: label(mine[0]!),
        switches: mine[0]!.switches,
        runs: mine.map((s) => ({ runId: s.runId, complete: s.complete, hostBusy: s.hostBusy })),
        figures: Object.fromEntries(SYMPTOMS.map((d) => [d.key, estimate(mine.map(d.get))])),
        detectNever: mine.filter((s) => s.symptoms.detect.reason === 'alert never fired').length,
        budgetsFailed: countFailed(mine),
      }),
    )
    .sort(
      (a, b) =>
        a.backend.localeCompare(b.backend) ||
        designRank(a.design) - designRank(b.design) ||
        a.design.localeCompare(b.design),
    );
}

function countFailed(summaries: Summary[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of summaries)
    for (const b of s.budgets) if (!b.pass) out[b.name] = (out[b.name] ?? 0) + 1;
  return out;
}
