/** The table `hunt run` and `hunt compare` print at the end: one column per run. */

import type { Summary } from '../reports/schema.ts';
import { table } from '../shared/table.ts';

const n = (v: number) => (Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(1));
const ms = (v: number) => `${v < 10 ? v.toFixed(2) : n(Math.round(v))} ms`;

export function finalTable(runs: Summary[]): string {
  const rows: [string, (s: Summary) => string][] = [
    ['complete', (s) => (s.complete ? 'yes' : 'NO')],
    ['accepted', (s) => n(s.accepted)],
    ['accepted/s', (s) => n(s.throughput.acceptedPerS)],
    ['delivered', (s) => n(s.delivered)],
    ['lost', (s) => (s.lost > 0 ? `${n(s.lost)} LOST` : '0')],
    ['duplicates', (s) => n(s.duplicates)],
    ['shed (503)', (s) => n(s.shed)],
    [
      'DLQ',
      (s) =>
        `${n(s.dlq.total)} ${Object.entries(s.dlq.byReason)
          .map(([r, c]) => `${r}=${c}`)
          .join(' ')}`.trim(),
    ],
    ['HTTP p50 / p99 / max', (s) => `${ms(s.http.p50)} / ${ms(s.http.p99)} / ${ms(s.http.max)}`],
    ['e2e p50 / p99 / max', (s) => `${ms(s.e2e.p50)} / ${ms(s.e2e.p99)} / ${ms(s.e2e.max)}`],
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
