import { describe, expect, it } from 'vitest';
import { EXIT } from '../common/exit-codes.ts';
import type { Summary } from '../contract/schema.ts';
import { sampleSummary } from '../reports/fixtures/summary.ts';
import { demoVerdict } from './demo-verdict.ts';

const run = (design: 'naive' | 'hardened', over: Partial<Summary> | null) => ({
  dir: `/r/${design}`,
  summary: over === null ? null : sampleSummary({ runId: design, design, ...over }),
  audit: null,
  exitCode: 0,
  undrainedOnly: false,
  cell: { backend: 'kafka' as const, design: { name: design, settings: { design } } },
});

describe('the demo verdict', () => {
  it('passes when only the naive design lost events, and says so', () => {
    const v = demoVerdict([run('naive', { lost: 12 }), run('hardened', { lost: 0 })], EXIT.lost);
    expect(v.exitCode).toBe(EXIT.ok);
    expect(v.lines.join('\n')).toMatch(
      /kafka · naive \(naive\) lost 12 events: the naive design's failure/,
    );
  });
  it('fails when a hardened run lost events or could not count them', () => {
    expect(demoVerdict([run('hardened', { lost: 1 })], EXIT.lost).exitCode).toBe(EXIT.lost);
    const unknown = demoVerdict([run('hardened', { lost: null })], EXIT.lost);
    expect(unknown.exitCode).toBe(EXIT.lost);
    expect(unknown.lines.join('\n')).toMatch(/could not be counted/);
  });
  it('reports a naive backlog that outlasted the drain as the finding it is', () => {
    const v = demoVerdict(
      [{ ...run('naive', { complete: false, lost: 0 }), undrainedOnly: true }],
      EXIT.incomplete,
    );
    expect(v.exitCode).toBe(EXIT.ok);
    expect(v.lines.join('\n')).toMatch(
      /did not drain within the drain timeout \(0 accepted events still undelivered\): the naive design's backlog/,
    );
    const hardened = { ...run('hardened', { complete: false, lost: 0 }), undrainedOnly: true };
    expect(demoVerdict([hardened], EXIT.incomplete).exitCode).toBe(EXIT.incomplete);
  });
  it('fails when any run did not finish, naive ones too', () => {
    expect(demoVerdict([run('naive', { complete: false })], EXIT.incomplete).exitCode).toBe(
      EXIT.incomplete,
    );
    expect(demoVerdict([run('naive', null)], EXIT.incomplete).exitCode).toBe(EXIT.incomplete);
  });
});
