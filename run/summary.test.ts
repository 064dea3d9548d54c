import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type RunManifest, Summary } from '../contract/schema.ts';
import { REPO_ROOT } from '../stack/tools.ts';
import { finalTable } from './final-table.ts';
import { buildSummary } from './summary.ts';

/** A run that measured nothing: no engine status, no audit, no timeline, no samples. */
async function nothingMeasured(): Promise<Summary> {
  return buildSummary({
    dir: mkdtempSync(join(tmpdir(), 'summary-')),
    manifest: {
      runId: 'r',
      backend: 'kinesis',
      scenario: 'smoke',
      plan: 'none',
      machine: { cores: 2, loadAvg1m: null },
    } as RunManifest,
    points: [],
    status: null,
    audit: null,
    loadS: 20,
    complete: false,
    budgets: { shed_rate: 0.05, dlq_rate: 0.05 },
    alertBacklog: 500,
    backlogCritical: 1500,
    fulfillment: null,
    catalogueFile: join(REPO_ROOT, 'scenarios', 'data', 'default.json'),
    promiseMs: 30_000,
  });
}

describe('summary of a run that measured nothing', () => {
  it('holds every count it could not read as unknown (null), never 0', async () => {
    const s = Summary.parse(await nothingMeasured());
    expect(s).toMatchObject({
      accepted: null,
      delivered: null,
      dlq: { total: null },
      duplicates: null,
      shed: null,
      lost: null,
      undelivered: null,
      throughput: { acceptedPerS: null },
      backlog: { max: null, drainS: null },
      breaker: { opens: null, openS: null },
    });
    expect(s.symptoms.sales).toMatchObject({ notAccepted: null, atRiskCents: null });
    expect(s.budgets.map((b) => [b.name, b.value, b.pass])).toEqual([
      ['shed_rate', null, false],
      ['dlq_rate', null, false],
    ]);
  });

  it('the final table says unknown where there is no figure, and no 0 or $0.00', async () => {
    const text = finalTable([await nothingMeasured()]);
    for (const row of ['accepted', 'delivered', 'duplicates', 'shed (503)', 'DLQ'])
      expect(text).toMatch(new RegExp(`^${row.replace(/[()]/g, '\\$&')} +unknown`, 'm'));
    expect(text).toMatch(/^backlog max \/ drain +unknown \/ unknown$/m);
    expect(text).toMatch(/^time to detect +unknown \(no timeline\)/m);
    expect(text).not.toMatch(/\$0\.00/);
    expect(text).not.toMatch(/^(orders not accepted|revenue at risk) +0/m);
  });
});
