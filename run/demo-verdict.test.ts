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
      /kafka · naive lost events in 1 run \(12\): the naive design's failure/,
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
      /kafka · naive: the backlog did not drain in 1 run \(1 past the drain timeout; accepted events still undelivered: 0\): the naive design's backlog/,
    );
    const hardened = { ...run('hardened', { complete: false, lost: 0 }), undrainedOnly: true };
    expect(demoVerdict([hardened], EXIT.incomplete).exitCode).toBe(EXIT.incomplete);
  });
  it('says once per configuration how its drains ended, stalled or past the timeout', () => {
    const undrained = (stalled: boolean, undelivered: number) => {
      const r = run('naive', { complete: false, lost: 0, undelivered });
      if (stalled && r.summary) r.summary.backlog = { ...r.summary.backlog, stalled: true };
      return { ...r, undrainedOnly: true };
    };
    const v = demoVerdict(
      [undrained(true, 500), undrained(true, 510), undrained(false, 490)],
      EXIT.incomplete,
    );
    expect(v.exitCode).toBe(EXIT.ok);
    const said = v.lines.filter((l) => l.includes('did not drain'));
    expect(said).toEqual([
      expect.stringMatching(
        /^\[demo\] kafka · naive: the backlog did not drain in 3 runs \(2 stalled: .*; 1 past the drain timeout; accepted events still undelivered: 500, 510, 490\)/,
      ),
    ]);
  });
  it('fails when any run did not finish, naive ones too', () => {
    expect(demoVerdict([run('naive', { complete: false })], EXIT.incomplete).exitCode).toBe(
      EXIT.incomplete,
    );
    expect(demoVerdict([run('naive', null)], EXIT.incomplete).exitCode).toBe(EXIT.incomplete);
  });
});
