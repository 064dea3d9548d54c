/**
 * The findings: for each pair of rows that differ in one change (a design on one backend, a
 * backend on one configuration) and each symptom, one of three outcomes, judged on the
 * difference between the rows (stats.ts, docs/method.md):
 *
 * - difference: the exact rank test rejects "one distribution" with the family-wise error
 *   held at 5% over every pair and symptom (primary symptoms first, gatekeeping);
 * - equivalent: not a difference, and the whole interval of the shift lies within the
 *   symptom's practical margin;
 * - inconclusive: neither. Never read as "no difference".
 *
 * Then the answer: what each change did, and whether the backend swap was needed.
 */
import { type MatrixRow, SYMPTOMS, type SymptomDef } from './matrix.ts';
import { formatEstimate, formatMedian, formatSymptom, rowName } from './matrix-format.ts';
import {
  ALPHA,
  type Estimate,
  gatekeep,
  hodgesLehmann,
  type Obs,
  pFloor,
  rankTest,
} from './stats.ts';

export type Outcome = 'difference' | 'equivalent' | 'inconclusive';

export interface Finding {
  kind: 'design' | 'backend';
  /** What the pair changes: a configuration's name against the baseline's, or the backend. */
  change: string;
  /** The two configurations, baseline first (`kafka · naive`). */
  rows: [string, string];
  symptom: string;
  label: string;
  primary: boolean;
  outcome: Outcome;
  /** 'lower' / 'higher': the second row against the first, for a difference. */
  direction: 'lower' | 'higher' | null;
  /** The Hodges–Lehmann shift, second row minus first, in the symptom's unit. */
  estimate: number | null;
  /** Its distribution-free interval; null when none reaches 95% or a figure is censored. */
  interval: [number, number] | null;
  /** The interval's exact coverage. */
  level: number | null;
  /** The practical margin (±, the symptom's unit); null when the baseline has no median. */
  margin: number | null;
  /** Runs counted in each row. */
  n: [number, number];
  /** Runs whose figure is censored (a lower bound) in each row. */
  censored: [number, number];
  /** Each row's median and interval. */
  figures: [Estimate, Estimate];
  /** The exact two-sided p-value and the level it had to meet after the correction. */
  p: number | null;
  threshold: number | null;
  /** Why the outcome is what it is, and what would settle an inconclusive one. */
  reason: string;
  /** What a difference rests on when its mechanism is known. */
  restsOn: string | null;
  /** The run ids of both rows' counted runs. */
  runs: string[];
  /** The finding in one line, by configuration name. */
  text: string;
}

export interface Answer {
  swapNeeded: 'yes' | 'no' | 'inconclusive';
  reason: string;
  /** The answer in a few lines: each change, then the swap. */
  lines: string[];
}

export interface Comparison {
  findings: Finding[];
  answer: Answer;
  /** Basis and caveats: what the findings rest on, runs left out, busy hosts. */
  notes: string[];
  /** The runs left out of the statistics (incomplete), by configuration. */
  excluded: { row: string; runId: string }[];
}

interface Pair {
  kind: Finding['kind'];
  change: string;
  a: MatrixRow;
  b: MatrixRow;
}

const switchesOn = (r: MatrixRow) => Object.values(r.switches ?? {}).filter(Boolean).length;
const switchesDiffer = (a: MatrixRow, b: MatrixRow) =>
  Object.keys({ ...a.switches, ...b.switches }).filter((k) => a.switches?.[k] !== b.switches?.[k]);

/**
 * The pairs compared: on each backend, every configuration against the first-listed one,
 * and two configurations that differ in one switch alone; each configuration on every
 * backend against the first-listed backend (the swap).
 */
export function pairsOf(rows: MatrixRow[]): Pair[] {
  const out: Pair[] = [];
  const backends = [...new Set(rows.map((r) => r.backend))];
  for (const backend of backends) {
    const mine = rows.filter((r) => r.backend === backend);
    const first = mine[0];
    for (const b of mine.slice(1))
      if (first) out.push({ kind: 'design', change: b.configuration, a: first, b });
    for (const a of mine.slice(1))
      for (const b of mine.slice(1)) {
        const flipped = switchesDiffer(a, b);
        if (a !== b && flipped.length === 1 && a.switches?.[flipped[0]!] === false)
          out.push({ kind: 'design', change: `${flipped[0]} on`, a, b });
      }
  }
  for (const b of rows) {
    const a = rows.find((r) => r.configuration === b.configuration);
    if (a && a.backend !== b.backend) out.push({ kind: 'backend', change: 'backend', a, b });
  }
  return out;
}

const counted = (xs: (Obs | null)[]) => xs.filter((x): x is Obs => x !== null);
const countedIds = (r: MatrixRow) => r.runs.filter((x) => x.counted).map((x) => x.runId);

/** Runs per row the rank test needs before its smallest p-value can meet `level`. */
export function repeatsFor(level: number): number | null {
  for (let n = 2; n <= 20; n++) if (pFloor(n, n) <= level) return n;
  return null;
}

interface Test {
  pair: Pair;
  def: SymptomDef;
  a: Obs[];
  b: Obs[];
  p: number | null;
  direction: number;
}

const margin = (def: SymptomDef, base: Estimate) =>
  base.median === null ? null : Math.max(def.margin.abs, def.margin.rel * Math.abs(base.median));

const sign = (v: number) => (v > 0 ? '+' : v < 0 ? '−' : '');
const shiftText = (v: number, def: SymptomDef) =>
  `${sign(v)}${formatSymptom(Math.abs(v), def.unit)}`;
const pText = (p: number) => (p < 0.001 ? p.toExponential(1) : p.toFixed(3));

/** What a backend difference rests on when the design leaves a known mechanism in play. */
function restsOn(pair: Pair, def: SymptomDef): string | null {
  if (pair.kind !== 'backend' || pair.a.switches?.dlq !== false) return null;
  if (
    !['notFulfilled', 'late', 'atRiskCents', 'undelivered', 'drainS', 'backlogMax'].includes(
      def.key,
    )
  )
    return null;
  return 'without a DLQ the poison event stalls the consumer, and how much of it stalls (the whole consumer or one shard) differs by backend: a property of the stall, not of the backend';
}

export function compareRows(rows: MatrixRow[]): Comparison {
  const pairs = pairsOf(rows);
  const tests: Test[] = pairs.flatMap((pair) =>
    SYMPTOMS.map((def) => {
      const a = counted(pair.a.obs[def.key] ?? []);
      const b = counted(pair.b.obs[def.key] ?? []);
      if (a.length === 0 || b.length === 0) return { pair, def, a, b, p: null, direction: 0 };
      const t = rankTest(a, b);
      return { pair, def, a, b, p: t.p, direction: t.direction };
    }),
  );
  const testable = tests.filter((t) => t.p !== null);
  const rejected = gatekeep(testable.map((t) => ({ p: t.p!, primary: t.def.primary === true })));
  const kPrimary = testable.filter((t) => t.def.primary).length;
  const primaryRejected = testable.filter((t, i) => t.def.primary && rejected[i]).length;
  const secondaryLevel = kPrimary === 0 ? ALPHA : (ALPHA * primaryRejected) / kPrimary;
  const kSecondary = testable.length - kPrimary;
  // Holm's step: the secondary with the j-th smallest p-value is judged at level / (k − j).
  const secondary = testable.filter((t) => !t.def.primary).sort((x, y) => x.p! - y.p!);
  const findings = tests.map((t) => {
    const i = testable.indexOf(t);
    const threshold =
      t.p === null
        ? null
        : t.def.primary
          ? ALPHA / kPrimary
          : secondaryLevel / (kSecondary - secondary.indexOf(t));
    return finding(t, i >= 0 && rejected[i]!, threshold);
  });
  const excluded = rows.flatMap((r) =>
    r.runs.filter((x) => !x.counted).map((x) => ({ row: rowName(r), runId: x.runId })),
  );
  const ns = [...new Set(rows.map((r) => r.runs.filter((x) => x.counted).length))].sort(
    (x, y) => x - y,
  );
  const notes = [
    `${rows.length} configuration${rows.length === 1 ? '' : 's'}, ${ns.join(' or ')} counted run${ns.length === 1 && ns[0] === 1 ? '' : 's'} each; ${kPrimary} primary and ${kSecondary} secondary tests; a difference is named at ${ALPHA * 100}% family-wise error over all of them (exact rank test, Bonferroni gatekeeping, Holm among the secondary).`,
  ];
  if (excluded.length > 0) {
    // By configuration; the run ids are in compare.json's `excluded`.
    const per = [...new Set(excluded.map((x) => x.row))].map((row) => {
      const k = excluded.filter((x) => x.row === row).length;
      return `${k} run${k === 1 ? '' : 's'} of ${row}`;
    });
    notes.push(`Left out of the statistics, incomplete: ${list(per)}.`);
  }
  const busy = rows.flatMap((r) => r.runs.filter((x) => x.hostBusy).map(() => rowName(r)));
  if (busy.length > 0)
    notes.push(
      `${busy.length} run${busy.length === 1 ? '' : 's'} started on a busy host (${[...new Set(busy)].join(', ')}): their figures may be slower than the design's.`,
    );
  return { findings, answer: answerOf(rows, pairs, findings), notes, excluded };
}

function finding(t: Test, isDifference: boolean, threshold: number | null): Finding {
  const { pair, def } = t;
  const fa = pair.a.figures[def.key]!;
  const fb = pair.b.figures[def.key]!;
  const shift = hodgesLehmann(t.a, t.b);
  const m = margin(def, fa);
  const interval: [number, number] | null =
    shift.low === null || shift.high === null ? null : [shift.low, shift.high];
  const within = interval !== null && m !== null && -m <= interval[0] && interval[1] <= m;
  const outcome: Outcome = isDifference ? 'difference' : within ? 'equivalent' : 'inconclusive';
  const direction = isDifference ? (t.direction < 0 ? 'lower' : 'higher') : null;
  const n: [number, number] = [t.a.length, t.b.length];
  const rows: [string, string] = [rowName(pair.a), rowName(pair.b)];
  const reason = reasonOf(t, outcome, interval, m, threshold);
  const rests = outcome === 'difference' ? restsOn(pair, def) : null;
  const shiftPart =
    shift.estimate === null
      ? `${formatEstimate(fa, def.unit)} against ${formatEstimate(fb, def.unit)}`
      : `${shiftText(shift.estimate, def)}${interval ? ` [${shiftText(interval[0], def)}, ${shiftText(interval[1], def)}]` : ''} (${formatEstimate(fa, def.unit)} → ${formatEstimate(fb, def.unit)})`;
  const word =
    outcome === 'difference'
      ? `DIFFERENCE, ${direction}`
      : outcome === 'equivalent'
        ? `EQUIVALENT within ±${formatSymptom(m!, def.unit)}`
        : 'INCONCLUSIVE';
  const text = `${rows[1]} against ${rows[0]}, ${def.label}${def.primary ? ' (primary)' : ''}: ${word}: ${shiftPart}, n=${n[0]}/${n[1]}${t.p === null ? '' : `, p=${pText(t.p)}`}; ${reason}${rests ? `; rests on: ${rests}` : ''}.`;
  return {
    kind: pair.kind,
    change: pair.change,
    rows,
    symptom: def.key,
    label: def.label,
    primary: def.primary === true,
    outcome,
    direction,
    estimate: shift.estimate,
    interval,
    level: shift.level,
    margin: m,
    n,
    censored: [fa.censored, fb.censored],
    figures: [fa, fb],
    p: t.p,
    threshold,
    reason,
    restsOn: rests,
    runs: [...countedIds(pair.a), ...countedIds(pair.b)],
    text,
  };
}

function reasonOf(
  t: Test,
  outcome: Outcome,
  interval: [number, number] | null,
  m: number | null,
  threshold: number | null,
): string {
  if (t.p === null || threshold === null) return 'not measured in one of the rows';
  if (outcome === 'difference') return `below its corrected level ${pText(threshold)}`;
  if (outcome === 'equivalent') return 'the whole 95% interval lies within the margin';
  const parts: string[] = [];
  const need = repeatsFor(threshold);
  const floor = pFloor(t.a.length, t.b.length);
  if (threshold === 0) parts.push('secondary, and no primary symptom differed to pass a level on');
  else if (floor > threshold)
    parts.push(
      `with ${t.a.length}/${t.b.length} runs no p-value can reach its level ${pText(threshold)}: needs ${need ?? 'over 20'} runs per row`,
    );
  else if (t.p <= threshold)
    parts.push("Holm's step-down stopped at a smaller p-value before reaching it");
  else parts.push(`p above its corrected level ${pText(threshold)}`);
  if (t.a.some((o) => o.censored) || t.b.some((o) => o.censored))
    parts.push('censored figures have no shift to bound, so equivalence cannot be shown');
  else if (interval === null)
    parts.push('too few runs for a 95% interval of the shift (4 per row)');
  else if (m !== null)
    parts.push(`the interval reaches beyond the margin ±${formatSymptom(m, t.def.unit)}`);
  return parts.join('; ');
}

const list = (xs: string[]) =>
  xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`;

/** The answer in a few lines: what each change did (differences named), then the swap. */
function answerOf(rows: MatrixRow[], pairs: Pair[], findings: Finding[]): Answer {
  const lines: string[] = [];
  const changes = [...new Set(pairs.filter((p) => p.kind === 'design').map((p) => p.change))];
  const say = (f: Finding) => {
    const def = SYMPTOMS.find((d) => d.key === f.symptom)!;
    return f.estimate === null
      ? `${f.label} ${formatMedian(f.figures[0], def.unit)} → ${formatMedian(f.figures[1], def.unit)}`
      : `${f.label} ${shiftText(f.estimate, def)}`;
  };
  for (const change of changes) {
    const mine = findings.filter((f) => f.kind === 'design' && f.change === change);
    const backends = [...new Set(mine.map((f) => f.rows[0].split(' · ')[0]!))];
    const config = (row: string) => row.split(' · ').slice(1).join(' · ');
    const base = [...new Set(mine.map((f) => config(f.rows[0])))];
    const other = [...new Set(mine.map((f) => config(f.rows[1])))];
    // A configuration against the baseline, or one switch turned on between two others.
    const subject = pairs.some((p) => p.change === change && p.b.configuration === change)
      ? `${change} against ${list(base)}`
      : `${change} (${list(base)} → ${list(other)})`;
    const byBackend = backends.map((b) => {
      const diffs = mine.filter(
        (f) => f.outcome === 'difference' && f.rows[0].startsWith(`${b} · `),
      );
      return `on ${b}: ${diffs.length === 0 ? 'no difference shown' : diffs.map(say).join(', ')}`;
    });
    const open = [
      ...new Set(mine.filter((f) => f.primary && f.outcome === 'inconclusive').map((f) => f.label)),
    ];
    const ps = mine.filter((f) => f.outcome === 'difference').map((f) => f.p!);
    const sure = ps.length > 0 ? `; each at p ≤ ${pText(Math.max(...ps))}` : '';
    lines.push(
      `${subject}: ${byBackend.join('; ')}${sure}${open.length > 0 ? `; inconclusive: ${list(open)}` : ''}.`,
    );
  }
  const swap = swapAnswer(rows, findings);
  lines.push(
    `Was the move to ${swap.to ?? 'the other backend'} needed? ${swap.swapNeeded}: ${swap.reason}`,
  );
  return { swapNeeded: swap.swapNeeded, reason: swap.reason, lines };
}

/**
 * The swap: the configuration with the most switches on (the article's end state; the
 * last-listed when none reports switches), on the first-listed backend against the other.
 * yes: the other backend is better on a primary symptom. no: every primary symptom is
 * equivalent, or better on the first backend. Otherwise inconclusive, and what would settle it.
 */
function swapAnswer(
  rows: MatrixRow[],
  findings: Finding[],
): { swapNeeded: Answer['swapNeeded']; reason: string; to: string | null } {
  const backends = [...new Set(rows.map((r) => r.backend))];
  if (backends.length < 2)
    return { swapNeeded: 'inconclusive', reason: 'only one backend was run.', to: null };
  const names = [...new Set(rows.map((r) => r.configuration))];
  const target = [...rows].sort(
    (x, y) =>
      switchesOn(y) - switchesOn(x) ||
      names.indexOf(y.configuration) - names.indexOf(x.configuration),
  )[0]!.configuration;
  const mine = findings.filter(
    (f) => f.kind === 'backend' && f.primary && f.rows[0].endsWith(` · ${target}`),
  );
  const to = mine[0]?.rows[1].split(' · ')[0] ?? backends[1]!;
  const from = backends[0]!;
  if (mine.length === 0)
    return { swapNeeded: 'inconclusive', reason: `${target} was not run on both backends.`, to };
  const better = mine.filter((f) => f.outcome === 'difference' && f.direction === 'lower');
  if (better.length > 0)
    return {
      swapNeeded: 'yes',
      reason: `on ${target}, ${to} lowered the ${list(better.map((f) => `${f.label} (${shiftText(f.estimate ?? 0, SYMPTOMS.find((d) => d.key === f.symptom)!)})`))} against ${from}.`,
      to,
    };
  const settled = mine.filter(
    (f) => f.outcome === 'equivalent' || (f.outcome === 'difference' && f.direction === 'higher'),
  );
  if (settled.length === mine.length)
    return {
      swapNeeded: 'no',
      reason: `on ${target}, ${from} was equivalent to ${to} (or better) in the ${list(mine.map((f) => `${f.label} (margin ±${formatSymptom(f.margin ?? 0, SYMPTOMS.find((d) => d.key === f.symptom)!.unit)})`))}.`,
      to,
    };
  const open = mine.filter((f) => !settled.includes(f));
  const measured = open.filter((f) => f.p !== null && f.threshold !== null);
  const need = Math.max(0, ...measured.map((f) => repeatsFor(f.threshold!) ?? 21));
  const nNow = Math.min(...measured.flatMap((f) => f.n));
  const settle =
    measured.length === 0
      ? 'none of them was measured on both backends'
      : need > nNow
        ? `${need > 20 ? 'more than 20' : need} runs per cell (now ${nNow}) would let a difference show`
        : 'more runs per cell, or a burst large enough to make a difference larger than the spread, would settle it';
  return {
    swapNeeded: 'inconclusive',
    reason: `on ${target}, neither a difference nor equivalence within the margin in the ${list(open.map((f) => f.label))}; ${settle}.`,
    to,
  };
}

/** The findings alone, for the report's page. */
export const buildFindings = (rows: MatrixRow[]): Finding[] => compareRows(rows).findings;
