/** The table `hunt run` and `hunt compare` print at the end: one column per run. */

import { FIGURES, type Figure, formatValue } from '../analysis/figures.ts';
import type { Answer, Finding } from '../analysis/findings.ts';
import { type MatrixRow, SYMPTOMS } from '../analysis/matrix.ts';
import { formatMedian, formatSymptom, rowName } from '../analysis/matrix-format.ts';
import { table } from '../common/table.ts';
import type { Summary } from '../contract/schema.ts';
import { AGENT_COLUMNS, agentCells } from '../reports/agents-section.ts';

/** A count, or 'unknown' when it could not be measured (never 0). */
const n = (v: number | null) => formatValue(v, 'count');
const ms = (v: number) => `${formatValue(v, 'ms')} ms`;
/** A figure of figures.ts: its label and its value as every reader shows it. */
const figure = (
  f: Figure,
  get: (s: Summary) => number | null,
): [string, (s: Summary) => string] => [f.label, (s) => formatValue(get(s), f.unit)];
const pcts = (p: Summary['http']) =>
  p ? `${ms(p.p50)} / ${ms(p.p99)} / ${ms(p.max)}` : 'no samples';

/** Reasons for no detection time that mean it was not measured, not that nothing detected. */
const UNMEASURED_DETECT = new Set(['no timeline', 'no threshold known']);

export function finalTable(runs: Summary[]): string {
  const rows: [string, (s: Summary) => string][] = [
    ['complete', (s) => (s.complete ? 'yes' : 'NO')],
    figure(FIGURES.accepted, (s) => s.accepted),
    figure(FIGURES.acceptedPerS, (s) => s.throughput.acceptedPerS),
    ['delivered', (s) => n(s.delivered)],
    [
      'lost',
      (s) => (s.lost === null ? 'UNKNOWN (no audit)' : s.lost > 0 ? `${n(s.lost)} LOST` : '0'),
    ],
    figure(FIGURES.undelivered, (s) => s.undelivered),
    figure(FIGURES.duplicates, (s) => s.duplicates),
    figure(FIGURES.shed, (s) => s.shed),
    [
      'DLQ',
      (s) =>
        `${n(s.dlq.total)} ${Object.entries(s.dlq.byReason)
          .map(([r, c]) => `${r}=${c}`)
          .join(' ')}`.trim(),
    ],
    ['HTTP 202 p50 / p99 / max', (s) => pcts(s.http)],
    ['e2e p50 / p99 / max', (s) => pcts(s.e2e)],
    [
      'backlog max / drain',
      // A drain that never finished is a lower bound, not a time.
      (s) =>
        `${n(s.backlog.max)} / ${s.backlog.drained === false && s.backlog.drainS !== null ? '> ' : ''}${formatValue(s.backlog.drainS, FIGURES.drainS.unit)}`,
    ],
    // Absent in an older run's summary: unknown, as when the engine's status was never read.
    figure(FIGURES.producerQueuePeak, (s) => s.producerQueuePeak ?? null),
    figure(FIGURES.brokerThrottled, (s) => s.brokerThrottled ?? null),
    [
      'breaker opens / open',
      (s) => `${n(s.breaker.opens)} / ${formatValue(s.breaker.openS, FIGURES.breakerOpenS.unit)}`,
    ],
    ['alerts', (s) => s.alerts.map((a) => `${a.name}@${n(a.firedAtS)}s`).join(' ') || '-'],
    ['design', (s) => s.design ?? 'unknown'],
    ...SYMPTOMS.filter((d) => !['backlogMax', 'drainS', 'lost', 'undelivered'].includes(d.key)).map(
      (d): [string, (s: Summary) => string] => [
        d.label,
        (s) =>
          d.key === 'detectS' && s.symptoms.detect.lagS === null
            ? `${UNMEASURED_DETECT.has(s.symptoms.detect.reason ?? '') ? 'unknown' : 'never'} (${s.symptoms.detect.reason})`
            : formatSymptom(d.get(s), d.unit),
      ],
    ),
    [
      'budgets',
      (s) => s.budgets.map((b) => `${b.pass ? 'ok' : 'FAIL'} ${b.name}`).join(', ') || '-',
    ],
  ];
  return table(
    ['', ...runs.map((s) => s.backend)],
    rows.map(([label, get]) => [label, ...runs.map(get)]),
  );
}

/** One row per k6 agent, under the run's table, when its load was split; null otherwise. */
export function agentsTable(s: Summary): string | null {
  if (!s.agents) return null;
  return table([...AGENT_COLUMNS], s.agents.map(agentCells));
}

/** The terminal's width the matrix table keeps to. */
export const TABLE_WIDTH = 120;

/**
 * The table `hunt compare` prints: one column per configuration, each symptom's median over
 * the counted runs (intervals and comparisons are the findings'); configurations split over
 * several tables so that no line exceeds TABLE_WIDTH.
 */
export function matrixTable(rows: MatrixRow[], width = TABLE_WIDTH): string {
  const lines: [string, (r: MatrixRow) => string][] = [
    ['runs counted', (r) => `${r.runs.filter((x) => x.counted).length} of ${r.runs.length}`],
    [
      'host busy before',
      (r) => {
        const busy = r.runs.filter((x) => x.hostBusy).length;
        return busy > 0
          ? `BUSY in ${busy}`
          : r.runs.some((x) => x.hostBusy === null)
            ? 'unknown'
            : 'no';
      },
    ],
    ...SYMPTOMS.map((d): [string, (r: MatrixRow) => string] => [
      d.primary ? `${d.label} *` : d.label,
      (r) => formatMedian(r.figures[d.key]!, d.unit),
    ]),
    ['alert never fired', (r) => `${r.detectNever} of ${r.runs.filter((x) => x.counted).length}`],
    // The names go under the tables: a list of them would widen a column past the terminal.
    ['budgets failed', (r) => String(Object.keys(r.budgetsFailed).length)],
  ];
  const labelW = Math.max(...lines.map(([l]) => l.length));
  const cell = (s: string, w: number) => (s.length <= w ? s : `${s.slice(0, w - 1)}…`);
  // Each column as wide as its widest cell, capped so that one column always fits.
  const cap = width - labelW - 2;
  const widthOf = (r: MatrixRow) =>
    Math.min(cap, Math.max(rowName(r).length, ...lines.map(([, get]) => get(r).length)));
  const chunks: MatrixRow[][] = [];
  let used = labelW;
  for (const r of rows) {
    const w = widthOf(r) + 2;
    if (chunks.length === 0 || used + w > width) {
      chunks.push([]);
      used = labelW;
    }
    chunks.at(-1)!.push(r);
    used += w;
  }
  return chunks
    .map((chunk) =>
      table(
        ['', ...chunk.map((r) => cell(rowName(r), widthOf(r)))],
        lines.map(([label, get]) => [label, ...chunk.map((r) => cell(get(r), widthOf(r)))]),
      ),
    )
    .join('\n\n')
    .concat('\n* primary symptom; medians of the counted runs, "> x (k/n)": censored')
    .concat(
      ...rows
        .filter((r) => Object.keys(r.budgetsFailed).length > 0)
        .map(
          (r) =>
            `\nbudgets failed, ${rowName(r)}: ${Object.entries(r.budgetsFailed)
              .map(([name, n]) => `${name} in ${n}/${r.runs.length}`)
              .join(', ')}`,
        ),
    );
}

/** The answer, first of what `hunt compare` and `hunt demo` print: a few lines. */
export function answerLines(r: { answer: Answer; notes: string[] }): string[] {
  return ['Answer:', ...r.answer.lines.map((l) => `- ${l}`), `(${r.notes[0] ?? 'no runs'})`];
}

/** Under the table: the outcomes counted, the differences one per line, the file with all. */
export function findingsSummary(r: { findings: Finding[]; notes: string[] }, file: string): string {
  const count = (o: Finding['outcome']) => r.findings.filter((f) => f.outcome === o).length;
  const diffs = r.findings.filter((f) => f.outcome === 'difference');
  return [
    `Findings: ${count('difference')} difference, ${count('equivalent')} equivalent, ${count('inconclusive')} inconclusive (each in ${file}).`,
    ...diffs.map((f) => `- ${f.text}`),
    ...r.notes.slice(1),
  ].join('\n');
}
