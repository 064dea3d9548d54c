/**
 * Whether a run's figures can be trusted at all, before any budget is looked at. A run that
 * did not complete, or whose loss was never audited, fails the gate and the report's
 * verdict whatever its budgets say: unknown is never zero.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS } from '../contract/layout.ts';
import type { Audit } from '../contract/schema.ts';
import type { RunData } from './read-run.ts';

export interface IntegrityCheck {
  name: 'run_complete' | 'audited';
  /** Why it failed, in a sentence; null when it holds. */
  failure: string | null;
}

/**
 * Why the audit does not vouch for its loss figure, or null when it does: every write k6
 * sent carries an id in its samples, k6's own count of 202s is known and agrees with them,
 * and every record read from the stream and its DLQ had a readable event id (an accepted id
 * may hide in one that had not).
 */
export function auditProof(a: Audit): string | null {
  if (a.unwitnessed > 0)
    return `${a.unwitnessed} writes in k6's samples carry no event id; loss not proven`;
  if (a.k6Accepted === null)
    return "k6's own count of 202s is unknown (no readable k6 summary); loss not proven";
  if (a.k6Accepted !== a.accepted)
    return `k6 counted ${a.k6Accepted} accepted writes but its samples show ${a.accepted}; loss not proven`;
  if (a.unreadable === undefined)
    return 'the audit did not count records without a readable event id; loss not proven';
  const { stream, dlq } = a.unreadable;
  if (stream + dlq > 0)
    return `${stream} records of the stream and ${dlq} of its DLQ had no readable event id; loss not proven`;
  return null;
}

export function integrityChecks(run: Pick<RunData, 'dir' | 'summary' | 'audit'>): IntegrityCheck[] {
  const marker = join(run.dir, RESULTS.incomplete);
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
          : auditProof(run.audit),
    },
  ];
}
