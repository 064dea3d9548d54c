import { describe, expect, it } from 'vitest';
import { EXIT } from '../common/exit-codes.ts';
import { exitCodeFor } from './run.ts';

const clean = { interrupted: false, complete: true, lost: 0, lostIds: 0, budgetsPass: true };

describe("a run's exit code: the most severe outcome", () => {
  it('is ok for a complete, audited run without loss within its budgets', () => {
    expect(exitCodeFor(clean)).toBe(EXIT.ok);
  });

  it('names a breached budget only when nothing worse happened', () => {
    expect(exitCodeFor({ ...clean, budgetsPass: false })).toBe(EXIT.budgets);
  });

  it('says lost for lost events, and for a loss that is unknown', () => {
    expect(exitCodeFor({ ...clean, lost: 2, budgetsPass: false })).toBe(EXIT.lost);
    expect(exitCodeFor({ ...clean, lost: null })).toBe(EXIT.lost);
  });

  it('says incomplete for a run that did not finish, unless ids are already missing', () => {
    expect(exitCodeFor({ ...clean, complete: false, lost: null, budgetsPass: false })).toBe(
      EXIT.incomplete,
    );
    expect(exitCodeFor({ ...clean, complete: false, lost: 1, lostIds: 1 })).toBe(EXIT.lost);
  });

  it('says interrupted above everything else', () => {
    expect(
      exitCodeFor({ interrupted: true, complete: false, lost: 5, lostIds: 5, budgetsPass: false }),
    ).toBe(EXIT.interrupted);
  });

  it('gives each of these outcomes its own code', () => {
    const codes = [
      exitCodeFor(clean),
      exitCodeFor({ ...clean, budgetsPass: false }),
      exitCodeFor({ ...clean, lost: 1 }),
      exitCodeFor({ ...clean, complete: false }),
      exitCodeFor({ ...clean, interrupted: true }),
    ];
    expect(new Set(codes).size).toBe(codes.length);
  });
});
