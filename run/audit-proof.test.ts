import { describe, expect, it } from 'vitest';
import { type Audit, SCHEMA_VERSION } from '../contract/schema.ts';
import { auditProof } from '../reports/integrity.ts';

const audit = (over: Partial<Audit> = {}): Audit => ({
  schema: SCHEMA_VERSION,
  witness: 'k6-samples',
  accepted: 100,
  k6Accepted: 100,
  unwitnessed: 0,
  inStream: 100,
  inDlq: 0,
  delivered: 100,
  lost: 0,
  lostIds: [],
  undelivered: 0,
  duplicates: 0,
  duplicateIds: [],
  unacknowledged: 0,
  foreign: { count: 0, ids: [] },
  ledger: null,
  unreadable: { stream: 0, dlq: 0 },
  ...over,
});

function check(a: Audit): { witnessed: boolean; said: string[] } {
  const why = auditProof(a);
  return { witnessed: why === null, said: why === null ? [] : [why] };
}

describe('the witness-completeness check of a run', () => {
  it('vouches for an audit whose samples carry every id and agree with k6', () => {
    expect(check(audit())).toEqual({ witnessed: true, said: [] });
  });

  it('does not vouch when some writes carry no event id in the samples', () => {
    const r = check(audit({ unwitnessed: 3 }));
    expect(r.witnessed).toBe(false);
    expect(r.said).toEqual([
      expect.stringMatching(/3 writes .* carry no event id; loss not proven/),
    ]);
  });

  it("does not vouch when the samples disagree with k6's own count of 202s", () => {
    for (const k6Accepted of [99, 101]) {
      const r = check(audit({ k6Accepted }));
      expect(r.witnessed).toBe(false);
      expect(r.said).toEqual([
        expect.stringMatching(new RegExp(`k6 counted ${k6Accepted} .* samples show 100`)),
      ]);
    }
  });
});
