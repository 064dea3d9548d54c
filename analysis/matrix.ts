/**
 * The comparison matrix: one row per configuration (backend × configuration name), each
 * symptom as its median across the row's complete repeats with a distribution-free interval
 * (stats.ts), and the runs' own figures, censored ones marked, for the comparisons. Built
 * from summaries alone, so it can be checked against each run's summary.json.
 */
import type { Summary } from '../contract/schema.ts';
import { dlqRate } from './figures.ts';
import { type Estimate, estimate, type Obs } from './stats.ts';

export type Unit = 'events' | 's' | 'orders' | 'cents' | 'ratio' | 'per event' | 'calls';

export interface SymptomDef {
  key: string;
  label: string;
  unit: Unit;
  get: (s: Summary) => number | null;
  /** Named in advance as what the incident is about: tested first, with most of the level. */
  primary?: boolean;
  /**
   * The practical margin: a shift smaller than max(abs, rel × the baseline's median) does
   * not matter, so a whole interval inside it is "equivalent".
   */
  margin: { abs: number; rel: number };
  /** The run's figure when it is only a lower bound (censored); null when it is not. */
  censoredAt?: (s: Summary) => number | null;
}

const sales = (s: Summary) => s.symptoms.sales;

/** The symptoms in the order the report shows them; lower is better for each. */
export const SYMPTOMS: SymptomDef[] = [
  {
    key: 'backlogMax',
    label: 'backlog peak',
    unit: 'events',
    get: (s) => s.backlog.max,
    primary: true,
    margin: { abs: 100, rel: 0.2 },
  },
  {
    key: 'drainS',
    label: 'time to drain',
    unit: 's',
    get: (s) => s.backlog.drainS,
    margin: { abs: 5, rel: 0.2 },
    censoredAt: (s) => (s.backlog.drained === false ? s.backlog.drainS : null),
  },
  {
    key: 'detectS',
    label: 'time to detect',
    unit: 's',
    get: (s) => s.symptoms.detect.lagS,
    primary: true,
    margin: { abs: 5, rel: 0 },
    // An alert that never fired had not fired by the run's end: its lag exceeds that.
    censoredAt: (s) => {
      const d = s.symptoms.detect;
      return d.reason === 'alert never fired' && d.crossedAtS !== null
        ? Math.max(0, s.durationS - d.crossedAtS)
        : null;
    },
  },
  {
    key: 'downstreamErrorRate',
    label: 'downstream error rate',
    unit: 'ratio',
    get: (s) => s.symptoms.cascade.errorRate,
    margin: { abs: 0.01, rel: 0 },
  },
  {
    key: 'downstreamUnserved',
    label: 'downstream calls not served',
    unit: 'calls',
    margin: { abs: 10, rel: 0.1 },
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
    margin: { abs: 0.05, rel: 0 },
  },
  {
    key: 'notAccepted',
    label: 'orders not accepted',
    unit: 'orders',
    get: (s) => sales(s).notAccepted?.orders ?? null,
    margin: { abs: 10, rel: 0.1 },
  },
  {
    key: 'notFulfilled',
    label: 'orders not fulfilled',
    unit: 'orders',
    get: (s) => sales(s).notFulfilled?.orders ?? null,
    primary: true,
    margin: { abs: 10, rel: 0.1 },
  },
  {
    key: 'late',
    label: 'orders late',
    unit: 'orders',
    get: (s) => sales(s).late?.orders ?? null,
    margin: { abs: 10, rel: 0.1 },
  },
  {
    key: 'atRiskCents',
    label: 'revenue at risk',
    unit: 'cents',
    get: (s) => sales(s).atRiskCents,
    margin: { abs: 10_000, rel: 0.1 },
  },
  // Any lost event matters: equivalent only when no run of either row lost one.
  {
    key: 'lost',
    label: 'lost events',
    unit: 'events',
    get: (s) => s.lost,
    margin: { abs: 0, rel: 0 },
  },
  {
    key: 'undelivered',
    label: 'undelivered at the end',
    unit: 'events',
    get: (s) => s.undelivered,
    margin: { abs: 10, rel: 0.1 },
  },
  {
    key: 'dlqRate',
    label: 'DLQ rate',
    unit: 'ratio',
    get: dlqRate,
    margin: { abs: 0.005, rel: 0 },
  },
];

/** A run's figure for a symptom as the statistics take it: censored, or null when unknown. */
export function observe(d: SymptomDef, s: Summary): Obs | null {
  const at = d.censoredAt?.(s) ?? null;
  if (at !== null) return { value: at, censored: true };
  const v = d.get(s);
  return v === null || !Number.isFinite(v) ? null : { value: v, censored: false };
}

export interface MatrixRun {
  runId: string;
  complete: boolean;
  /** In the row's statistics: complete, or incomplete only because its drain timed out. */
  counted: boolean;
  /** The host was busy before the run (load average above its cores); null: unknown. */
  hostBusy: boolean | null;
}

export interface MatrixRow {
  /** The configuration's name in the matrix (its design label when the runs carry none). */
  configuration: string;
  backend: string;
  /** The design the engine reported ('unknown' when it did not say), with the switches that
   * set it apart from other rows of the same design, e.g. `hardened (dlq off)`. */
  design: string;
  /** The engine's switches as it reported them; null when it did not. */
  switches: Record<string, boolean> | null;
  /** Every run of the row; the statistics use the counted ones only. */
  runs: MatrixRun[];
  figures: Record<string, Estimate>;
  /** Per symptom, each counted run's figure (null: unknown), in the order of `runs`. */
  obs: Record<string, (Obs | null)[]>;
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

/** A run's figures stand when it completed, or only its drain outlasted the timeout. */
export const counted = (s: Summary) => s.complete || s.undrainedOnly === true;

/**
 * Rows keyed by backend and configuration name, never merged by design: two names of one
 * design are two rows. Without names (runs outside a matrix), the design label and its
 * switches name the row. Backends and configurations keep the order they first appear in
 * (`hunt compare` passes its runs in the order it ran them, the first repeat in the matrix's
 * own order), so the first-listed of each is the baseline of its comparisons.
 */
export function buildMatrix(summaries: Summary[]): MatrixRow[] {
  const label = designLabels(summaries);
  const nameOf = (s: Summary) => s.configuration ?? label(s);
  const groups = new Map<string, Summary[]>();
  for (const s of summaries) {
    const key = `${s.backend}\u0000${s.configuration === undefined ? `${label(s)}\u0000${signature(s)}` : `=${s.configuration}`}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const backends: string[] = [...new Set(summaries.map((s) => s.backend))];
  const names = [...new Set(summaries.map(nameOf))];
  const named = summaries.some((s) => s.configuration !== undefined);
  return [...groups.values()]
    .map((mine): MatrixRow => {
      const used = mine.filter(counted);
      return {
        configuration: nameOf(mine[0]!),
        backend: mine[0]!.backend,
        design: label(mine[0]!),
        switches: mine[0]!.switches,
        runs: mine.map((s) => ({
          runId: s.runId,
          complete: s.complete,
          counted: counted(s),
          hostBusy: s.hostBusy,
        })),
        figures: Object.fromEntries(
          SYMPTOMS.map((d) => [d.key, estimate(used.map((s) => observe(d, s)))]),
        ),
        obs: Object.fromEntries(SYMPTOMS.map((d) => [d.key, used.map((s) => observe(d, s))])),
        detectNever: used.filter((s) => s.symptoms.detect.reason === 'alert never fired').length,
        budgetsFailed: countFailed(mine),
      };
    })
    .sort(
      (a, b) =>
        backends.indexOf(a.backend) - backends.indexOf(b.backend) ||
        (named
          ? names.indexOf(a.configuration) - names.indexOf(b.configuration)
          : designRank(a.design) - designRank(b.design) || a.design.localeCompare(b.design)),
    );
}

function countFailed(summaries: Summary[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of summaries)
    for (const b of s.budgets) if (!b.pass) out[b.name] = (out[b.name] ?? 0) + 1;
  return out;
}
