import { describe, expect, it } from 'vitest';
import { compareRows } from '../analysis/findings.ts';
import { buildMatrix } from '../analysis/matrix.ts';
import type { Summary } from '../contract/schema.ts';
import { sampleSummary } from '../reports/fixtures/summary.ts';
import { compareRecord, findingsText } from './compare.ts';
import {
  answerLines,
  finalTable,
  findingsSummary,
  matrixTable,
  TABLE_WIDTH,
} from './final-table.ts';

/** The demo's matrix: two backends × naive/hardened, 6 runs each, wide figures everywhere. */
function demo(): Summary[] {
  const out: Summary[] = [];
  for (let i = 1; i <= 6; i++)
    for (const backend of ['kafka', 'kinesis'] as const)
      for (const configuration of ['naive', 'hardened']) {
        const naive = configuration === 'naive';
        const s = sampleSummary({
          runId: `20261201-2129${i}0-${backend}-peak-sale-flash-sale-incident-${configuration}`,
          backend,
          configuration,
          design: configuration,
          complete: !naive,
          undrainedOnly: naive,
          backlog: { max: naive ? 2_771 + 13 * i : 812 + i, drainS: 55 + i, drained: !naive },
          budgets: naive ? [] : [{ name: 'http_p99_ms', limit: 500, value: 900, pass: false }],
        });
        s.symptoms.sales.notFulfilled = { orders: naive ? 500 + 7 * i : 0, cents: 0 };
        s.symptoms.sales.atRiskCents = naive ? 1_234_567 + i : 0;
        out.push(s);
      }
  return out;
}

describe('what hunt compare and hunt demo print', () => {
  it('keeps the matrix table within 120 columns, configurations by name', () => {
    const text = matrixTable(buildMatrix(demo()));
    const width = Math.max(...text.split('\n').map((l) => l.length));
    expect(width).toBeLessThanOrEqual(TABLE_WIDTH);
    expect(text).toContain('kinesis · hardened');
    expect(text).not.toMatch(/20261201/);
    // Censored drains read as bounds, not as times.
    expect(text).toMatch(/time to drain\s+> 56 s \(6\/6\)/);
    // Budgets by name under the table, not in a column.
    expect(text).toMatch(/budgets failed\s+0\s+1\s+0\s+1\n/);
    expect(text).toMatch(/\nbudgets failed, kafka · hardened: http_p99_ms in 6\/6/);
  });

  it('splits a matrix too wide for one table', () => {
    const many = demo().map((s, i) => ({ ...s, configuration: `configuration-${i % 6}` }));
    const text = matrixTable(buildMatrix(many));
    expect(Math.max(...text.split('\n').map((l) => l.length))).toBeLessThanOrEqual(TABLE_WIDTH);
    expect(text.split('\n\n').length).toBeGreaterThan(1);
  });

  it('opens with the answer in at most eight lines, and names each difference once', () => {
    const c = compareRows(buildMatrix(demo()));
    const lines = answerLines(c);
    expect(lines.length).toBeLessThanOrEqual(8);
    expect(lines.join('\n')).toMatch(
      /^Answer:\n- hardened against naive: on kafka: .*orders not fulfilled −/,
    );
    expect(lines.join('\n')).toMatch(/- Was the move to kinesis needed\? (yes|no|inconclusive): /);
    expect(lines.join('\n')).not.toMatch(/20261201/);
    const summary = findingsSummary(c, 'findings.txt');
    expect(summary).toMatch(/^Findings: \d+ difference, \d+ equivalent, \d+ inconclusive/);
  });

  it('writes compare.json with findings[] and answer.swapNeeded, findings.txt one per line', () => {
    const record = compareRecord([], demo());
    expect(record.findings).toHaveLength(4 * 13);
    const f = record.findings.find(
      (x) =>
        x.rows.join('|') === 'kinesis · naive|kinesis · hardened' && x.symptom === 'notFulfilled',
    )!;
    expect(f).toMatchObject({ outcome: 'difference', n: [6, 6], margin: expect.any(Number) });
    expect(f.interval).toHaveLength(2);
    expect(f.runs).toHaveLength(12);
    expect(['yes', 'no', 'inconclusive']).toContain(record.answer.swapNeeded);
    const lines = findingsText(record).trimEnd().split('\n');
    for (const x of record.findings) expect(lines).toContain(x.text);
    expect(lines.filter((l) => /20261201/.test(l))).toEqual([]);
  });

  it("shows a run's drain that never finished as a bound", () => {
    const s = sampleSummary({ backlog: { max: 2_771, drainS: 58, drained: false } });
    expect(finalTable([s])).toMatch(/backlog max \/ drain\s+2,771 \/ > 58 s/);
    expect(finalTable([sampleSummary()])).toMatch(/backlog max \/ drain\s+1,200 \/ 14 s/);
  });

  it('shows the producer queue peak and broker throttling, unknown when not measured or absent', () => {
    const s = sampleSummary({ producerQueuePeak: 18_400, brokerThrottled: 2_310 });
    expect(finalTable([s])).toMatch(/producer queue peak\s+18,400/);
    expect(finalTable([s])).toMatch(/throttled by the broker\s+2,310/);
    const unread = sampleSummary({ producerQueuePeak: null, brokerThrottled: null });
    expect(finalTable([unread])).toMatch(/producer queue peak\s+unknown/);
    // An older run's summary has neither field.
    expect(finalTable([sampleSummary()])).toMatch(/throttled by the broker\s+unknown/);
  });
});
