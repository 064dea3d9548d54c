/**
 * The findings: plain sentences generated from the matrix. A difference is called one only
 * when the two rows' intervals separate; overlapping intervals are "no measurable
 * difference"; with fewer than 2 repeats nothing is measured, and the sentence says so.
 * Each finding cites the medians, intervals and run ids it rests on (docs/method.md).
 */

import { type MatrixRow, SYMPTOMS, type SymptomDef, UNKNOWN_DESIGN } from './matrix.ts';
import { formatEstimate, rowName } from './matrix-format.ts';
import { separation } from './stats.ts';

export interface Finding {
  kind: 'basis' | 'design' | 'backend' | 'answer' | 'caveat';
  text: string;
  /** The run ids the sentence rests on. */
  runs: string[];
}

type Verdict = 'lower' | 'higher' | 'same' | 'unknown';

interface Pair {
  a: MatrixRow;
  b: MatrixRow;
  /** Per symptom key: how b compares with a. */
  verdicts: Record<string, Verdict>;
  /** The naive preset against the hardened one (else one switch turned on). */
  presets?: boolean;
}

const ids = (...rows: MatrixRow[]) => rows.flatMap((r) => r.runs.map((x) => x.runId));
const fig = (r: MatrixRow, d: SymptomDef) =>
  `${rowName(r)} ${formatEstimate(r.figures[d.key]!, d.unit)}`;
const list = (xs: string[]) =>
  xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`;
const repeatsOf = (...rows: MatrixRow[]) => {
  const ns = [...new Set(rows.map((r) => r.runs.length))].sort((x, y) => x - y);
  return `${list(ns.map(String))} repeat${ns.length === 1 && ns[0] === 1 ? '' : 's'} per row`;
};

function compare(a: MatrixRow, b: MatrixRow): Pair {
  const verdicts = Object.fromEntries(
    SYMPTOMS.map((d) => [d.key, separation(b.figures[d.key]!, a.figures[d.key]!)]),
  );
  return { a, b, verdicts };
}

/** The base design name of a row label, `hardened (dlq off)` → `hardened`. */
const base = (r: MatrixRow) => r.design.split(' (')[0]!;
const switchesOn = (r: MatrixRow) => Object.values(r.switches ?? {}).filter(Boolean).length;
/** The row with the most (sign 1) or fewest (sign -1) switches on. */
const extreme = (rows: MatrixRow[], sign: 1 | -1) =>
  rows.reduce<MatrixRow | undefined>(
    (best, r) => (!best || sign * (switchesOn(r) - switchesOn(best)) > 0 ? r : best),
    undefined,
  );
const switchesDiffer = (a: MatrixRow, b: MatrixRow) =>
  Object.keys({ ...a.switches, ...b.switches }).filter((k) => a.switches?.[k] !== b.switches?.[k]);

/** Sentences for one pair: what b changed against a, what it did not, what is not measured. */
function pairFindings(p: Pair, subject: string, kind: Finding['kind']): Finding[] {
  const out: Finding[] = [];
  const runs = ids(p.a, p.b);
  const n = repeatsOf(p.a, p.b);
  for (const d of SYMPTOMS) {
    const v = p.verdicts[d.key];
    if (v !== 'lower' && v !== 'higher') continue;
    const verb = v === 'lower' ? 'reduced' : 'increased';
    const removed = v === 'lower' && p.b.figures[d.key]!.high === 0 ? 'removed' : verb;
    out.push({
      kind,
      text: `${subject} ${removed} the ${d.label}: ${fig(p.a, d)} against ${fig(p.b, d)} (median [95% interval], ${n}).`,
      runs,
    });
  }
  const same = SYMPTOMS.filter((d) => p.verdicts[d.key] === 'same').map((d) => d.label);
  if (same.length > 0)
    out.push({
      kind,
      text: `${subject}: no measurable difference in the ${list(same)} (intervals overlap, ${n}).`,
      runs,
    });
  const unmeasured = SYMPTOMS.filter((d) => p.verdicts[d.key] === 'unknown');
  const observed = unmeasured.filter((d) => {
    const x = p.a.figures[d.key]!.median;
    const y = p.b.figures[d.key]!.median;
    return x !== null && y !== null && x !== y;
  });
  if (observed.length > 0)
    out.push({
      kind,
      text: `${subject}, observed without an interval (${n}, so not a measured difference): ${observed.map((d) => `${d.label} ${fig(p.a, d)} against ${fig(p.b, d)}`).join('; ')}.`,
      runs,
    });
  return out;
}

/** The detection symptom is also categorical: an alert that never fired has no time. */
function detectFinding(a: MatrixRow, b: MatrixRow, subject: string): Finding[] {
  if (a.detectNever === b.detectNever) return [];
  const say = (r: MatrixRow) => {
    const of = `${r.runs.length} run${r.runs.length === 1 ? '' : 's'}`;
    return r.detectNever === 0
      ? `in none of the ${of} of ${rowName(r)} did the backlog cross its critical threshold without HuntBacklogCritical firing`
      : `in ${r.detectNever} of ${of} of ${rowName(r)} the backlog crossed its critical threshold and HuntBacklogCritical never fired`;
  };
  return [
    {
      kind: 'design',
      text: `${subject}: ${say(a)}; ${say(b)}.`,
      runs: ids(a, b),
    },
  ];
}

export function buildFindings(rows: MatrixRow[]): Finding[] {
  if (rows.length === 0) return [];
  const out: Finding[] = [
    {
      kind: 'basis',
      text: `These findings rest on ${rows.length} configuration${rows.length === 1 ? '' : 's'} with ${repeatsOf(...rows)}; a difference is named only where the 95% bootstrap intervals of the medians separate.`,
      runs: ids(...rows),
    },
  ];
  if (rows.some((r) => r.runs.length < 2))
    out.push({
      kind: 'caveat',
      text: 'A row with a single run has no interval: its figures are observations, and no difference involving it is a measured one. Repeat (--repeat 3 or more) to measure.',
      runs: [],
    });
  const designPairs: Pair[] = [];
  const backendPairs: Pair[] = [];
  for (const backend of new Set(rows.map((r) => r.backend))) {
    const mine = rows.filter((r) => r.backend === backend);
    // The presets: the naive row with the fewest switches on against the hardened with the most.
    const naive = extreme(
      mine.filter((r) => base(r) === 'naive'),
      -1,
    );
    const hardened = extreme(
      mine.filter((r) => base(r) === 'hardened'),
      1,
    );
    if (naive && hardened) designPairs.push({ ...compare(naive, hardened), presets: true });
    // One switch turned on, all else alike: that switch's own effect.
    for (const a of mine)
      for (const b of mine) {
        const flipped = switchesDiffer(a, b);
        if (a !== b && flipped.length === 1 && a.switches?.[flipped[0]!] === false)
          designPairs.push(compare(a, b));
      }
  }
  /** A backend's name as a sentence names a product: `kinesis` -> `Kinesis`. */
  const titled = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
  // The swap: one design on two backends, the first listed as the one swapped from.
  const backends = [...new Set(rows.map((r) => r.backend))];
  for (const a of rows)
    for (const b of rows)
      if (a.design === b.design && backends.indexOf(a.backend) < backends.indexOf(b.backend))
        backendPairs.push(compare(a, b));
  for (const p of designPairs) {
    const flipped = switchesDiffer(p.a, p.b);
    const subject = p.presets
      ? `On ${p.a.backend}, the ${p.b.design} design (against ${p.a.design})`
      : `On ${p.a.backend}, turning ${flipped[0]} on (${rowName(p.a)} → ${rowName(p.b)})`;
    out.push(...pairFindings(p, subject, 'design'), ...detectFinding(p.a, p.b, subject));
  }
  for (const p of backendPairs)
    out.push(
      ...pairFindings(
        p,
        p.a.design === UNKNOWN_DESIGN
          ? `With the engine's design unreported, ${titled(p.b.backend)} (against ${titled(p.a.backend)})`
          : `On the ${p.a.design} design, ${titled(p.b.backend)} (against ${titled(p.a.backend)})`,
        'backend',
      ),
    );
  out.push(...answers(designPairs, backendPairs));
  const busy = rows.flatMap((r) => r.runs.filter((x) => x.hostBusy));
  if (busy.length > 0)
    out.push({
      kind: 'caveat',
      text: `${busy.length} run${busy.length === 1 ? '' : 's'} started on a busy host (1-minute load average above its cores); their rows are flagged and their figures may be slower than the design's.`,
      runs: busy.map((x) => x.runId),
    });
  const incomplete = rows.flatMap((r) => r.runs.filter((x) => !x.complete));
  if (incomplete.length > 0)
    out.push({
      kind: 'caveat',
      text: `${incomplete.length} run${incomplete.length === 1 ? '' : 's'} did not complete; their figures are partial.`,
      runs: incomplete.map((x) => x.runId),
    });
  return out;
}

/**
 * The architect's two questions, answered per symptom where the data allows: did the design
 * fix it on every backend while the backend made no measurable difference on any design?
 */
function answers(designPairs: Pair[], backendPairs: Pair[]): Finding[] {
  const presets = designPairs.filter((p) => p.presets);
  if (presets.length === 0 || backendPairs.length === 0) return [];
  const out: Finding[] = [];
  const runs = [...new Set([...presets, ...backendPairs].flatMap((p) => ids(p.a, p.b)))];
  const byDesign = (d: SymptomDef) => presets.every((p) => p.verdicts[d.key] === 'lower');
  const noBackend = (d: SymptomDef) => backendPairs.every((p) => p.verdicts[d.key] === 'same');
  const fixedByDesign = SYMPTOMS.filter((d) => byDesign(d) && noBackend(d));
  for (const d of fixedByDesign)
    out.push({
      kind: 'answer',
      text: `The design, not the backend, fixed the ${d.label}: hardened beat naive on ${list(presets.map((p) => p.a.backend))}, and Kafka and Kinesis showed no measurable difference on ${list(backendPairs.map((p) => p.a.design))}.`,
      runs,
    });
  const hardened = backendPairs.filter(
    (p) => base(p.a) === 'hardened' && presets.some((q) => q.b.design === p.a.design),
  );
  if (hardened.length > 0) {
    const kafkaWorse = SYMPTOMS.filter((d) =>
      hardened.some((p) => p.verdicts[d.key] === 'lower'),
    ).map((d) => d.label);
    const measured = SYMPTOMS.filter((d) => hardened.every((p) => p.verdicts[d.key] !== 'unknown'));
    out.push({
      kind: 'answer',
      text:
        kafkaWorse.length > 0
          ? `The backend swap mattered on the hardened design: Kafka was worse than Kinesis in the ${list(kafkaWorse)}.`
          : measured.length === 0
            ? 'Whether the backend swap was needed cannot be told from these runs: no symptom has an interval on both backends.'
            : `The backend swap was not needed for what was measured: on the hardened design Kafka was no worse than Kinesis in the ${list(measured.map((d) => d.label))}.`,
      runs,
    });
  }
  return out;
}
