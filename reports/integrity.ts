/**
 * Whether a run's figures can be trusted at all, before any budget is looked at. A run that
 * did not complete, or whose loss was never audited, fails the gate and the report's
 * verdict whatever its budgets say: unknown is never zero.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunData } from './read-run.ts';

export interface IntegrityCheck {
  name: 'run_complete' | 'audited';
  /** Why it failed, in a sentence; null when it holds. */
  failure: string | null;
}

export function integrityChecks(run: Pick<RunData, 'dir' | 'summary' | 'audit'>): IntegrityCheck[] {
  const marker = join(run.dir, 'INCOMPLETE');
  const why = existsSync(marker) ? readFileSync(marker, 'utf8').trim() : '';
  return [
    {
      name: 'run_complete',
      failure: run.summary.complete
        ? null
        : `the run did not complete${why ? ` (${why})` : ''}: its figures are partial`,
    },
    {
      name: 'audited',
      failure:
        run.audit === null || run.summary.lost === null
          ? `no audit in ${run.dir}: how many events were lost is unknown`
          : null,
    },
  ];
}

/** The failures only, as sentences. */
export const integrityFailures = (run: Pick<RunData, 'dir' | 'summary' | 'audit'>): string[] =>
  integrityChecks(run).flatMap((c) => (c.failure ? [c.failure] : []));
