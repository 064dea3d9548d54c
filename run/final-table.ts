/** The table `hunt run` and `hunt compare` print at the end: one column per run. */

import { type MatrixRow, SYMPTOMS } from '../analysis/matrix.ts';
import { formatEstimate, formatSymptom, rowName } from '../analysis/matrix-format.ts';
import { table } from '../common/table.ts';
import type { Summary } from '../contract/schema.ts';
import { AGENT_COLUMNS, agentCells } from '../reports/agents-section.ts';

/** A figure, or 'unknown' when it could not be measured (never 0). */
const n = (v: number | null) =>
  v === null ? 'unknown' : Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(1);
const ms = (v: number) => `${v < 10 ? v.toFixed(2) : n(Math.round(v))} ms`;
const pcts = (p: Summary['http']) =>
  p ? `${ms(p.p50)} / ${ms(p.p99)} / ${ms(p.max)}` : 'no samples';

/** Reasons for no detection time that mean it was not measured, not that nothing detected. */
const UNMEASURED_DETECT = new Set(['no timeline', 'no threshold known']);

export function finalTable(runs: Summary[]): string {
  const rows: [string, (s: Summary) => string][] = [
    ['complete', (s) => (s.complete ? 'yes' : 'NO')],
    ['accepted', (s) => n(s.accepted)],
    ['accepted/s', (s) => n(s.throughput.acceptedPerS)],
    ['delivered', (s) => n(s.delivered)],
    [
      'lost',
      (s) => (s.lost === null ? 'UNKNOWN (no audit)' : s.lost > 0 ? `${n(s.lost)} LOST` : '0'),
    ],
    ['undelivered at the end', (s) => (s.undelivered === null ? 'unknown' : n(s.undelivered))],
    ['duplicates', (s) => n(s.duplicates)],
    ['shed (503)', (s) => n(s.shed)],
    [
      'DLQ',
      (s) =>
        `${n(s.dlq.total)} ${Object.entries(s.dlq.byReason)
          .map(([r, c]) => `${r}=${c}`)
          .join(' ')}`.trim(),
    ],
    ['HTTP 202 p50 / p99 / max', (s) => pcts(s.http)],
    ['e2e p50 / p99 / max', (s) => pcts(s.e2e)],
    ['backlog max / drain', (s) => `${n(s.backlog.max)} / ${n(s.backlog.drainS)} s`],
    ['breaker opens / open', (s) => `${n(s.breaker.opens)} / ${n(s.breaker.openS)} s`],
    ['alerts', (s) => s.alerts.map((a) => `${a.name}@${n(a.firedAtS)}s`).join(' ') || '-'],
    ['design', (s) => s.design ?? 'unknown'],
    ...SYMPTOMS.filter((d) => !['backlogMax', 'drainS', 'lost'].includes(d.key)).map(
      (d): [string, (s: Summary) => string] => [
        d.key === 'detectS' ? 'time to detect' : d.label,
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

/** The table `hunt compare` prints: one column per configuration, each symptom's median [interval]. */
export function matrixTable(rows: MatrixRow[]): string {
  const lines: [string, (r: MatrixRow) => string][] = [
    ['runs', (r) => String(r.runs.length)],
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
      d.label,
      (r) => formatEstimate(r.figures[d.key]!, d.unit),
    ]),
    ['alert never fired', (r) => `${r.detectNever} of ${r.runs.length}`],
    [
      'budgets',
      (r) =>
        Object.entries(r.budgetsFailed)
          .map(([name, n]) => `FAIL ${name} (${n} of ${r.runs.length})`)
          .join(', ') || 'ok',
    ],
  ];
  return table(
    ['', ...rows.map(rowName)],
    lines.map(([label, get]) => [label, ...rows.map(get)]),
  );
}
