/** The table `hunt run` and `hunt compare` print at the end: one column per run. */

import { table } from '../common/table.ts';
import type { Summary } from '../reports/schema.ts';

const n = (v: number) => (Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(1));
const ms = (v: number) => `${v < 10 ? v.toFixed(2) : n(Math.round(v))} ms`;
const pcts = (p: Summary['http']) =>
  p ? `${ms(p.p50)} / ${ms(p.p99)} / ${ms(p.max)}` : 'no samples';

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
    ['breaker opens / open', (s) => `${s.breaker.opens} / ${n(s.breaker.openS)} s`],
    ['alerts', (s) => s.alerts.map((a) => `${a.name}@${n(a.firedAtS)}s`).join(' ') || '-'],
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
