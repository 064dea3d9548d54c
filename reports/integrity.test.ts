import { describe, expect, it } from 'vitest';
import { type Audit, SCHEMA_VERSION } from '../contract/schema.ts';
import { sampleSummary } from './fixtures/summary.ts';
import { auditProof, integrityChecks } from './integrity.ts';

const proven: Audit = {
  schema: SCHEMA_VERSION,
  witness: 'k6-samples',
  accepted: 10,
  k6Accepted: 10,
  unwitnessed: 0,
  inStream: 10,
  inDlq: 0,
  unreadable: { stream: 0, dlq: 0 },
  delivered: 10,
  lost: 0,
  lostIds: [],
  undelivered: 0,
  duplicates: 0,
  duplicateIds: [],
  unacknowledged: 0,
  foreign: { count: 0, ids: [] },
  ledger: null,
};

describe("the audit's proof", () => {
  it('holds for a witnessed audit whose every record was read', () => {
    expect(auditProof(proven)).toBeNull();
  });

  it("fails when k6's own count of 202s is unknown, instead of skipping the check", () => {
    expect(auditProof({ ...proven, k6Accepted: null })).toMatch(/count of 202s is unknown/);
  });

  it('fails on a count that disagrees, on unwitnessed writes, and on records without a readable id', () => {
    expect(auditProof({ ...proven, k6Accepted: 9 })).toMatch(/k6 counted 9 .* show 10/);
    expect(auditProof({ ...proven, unwitnessed: 2 })).toMatch(/2 writes .* no event id/);
    expect(auditProof({ ...proven, unreadable: { stream: 3, dlq: 1 } })).toMatch(
      /3 records of the stream and 1 of its DLQ had no readable event id/,
    );
    const { unreadable: _, ...uncounted } = proven;
    expect(auditProof(uncounted)).toMatch(/did not count records/);
  });

  it("fails the gate's and the report's audited check", () => {
    const run = { dir: '/nowhere', summary: sampleSummary({ lost: 0 }) };
    const audited = (audit: Audit) =>
      integrityChecks({ ...run, audit }).find((c) => c.name === 'audited')!.failure;
    expect(audited(proven)).toBeNull();
    expect(audited({ ...proven, unreadable: { stream: 1, dlq: 0 } })).toMatch(/loss not proven/);
  });
});
