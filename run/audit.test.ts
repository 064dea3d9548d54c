import { describe, expect, it } from 'vitest';
import { Audit } from '../reports/schema.ts';
import { audit } from './audit.ts';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `e${i}`);

describe('audit', () => {
  it('finds nothing wrong when every accepted id is in the stream once and was delivered', () => {
    const a = audit({
      ledger: ids(5),
      stream: ids(5),
      dlq: [],
      k6Accepted: 5,
      engine: { delivered: 5, duplicates: 0 },
    });
    expect(Audit.parse(a)).toMatchObject({
      accepted: 5,
      inStream: 5,
      lost: 0,
      duplicates: 0,
      unacknowledged: 0,
    });
  });

  it('reports a lost event, by id, when an accepted id is missing from the stream copy it reads', () => {
    const stream = ids(5).filter((id) => id !== 'e3');
    const a = audit({
      ledger: ids(5),
      stream,
      dlq: [],
      k6Accepted: 5,
      engine: { delivered: 4, duplicates: 0 },
    });
    expect(a.lost).toBe(1);
    expect(a.lostIds).toEqual(['e3']);
  });

  it('counts an accepted event that went to the DLQ as delivered, not lost', () => {
    const a = audit({
      ledger: ids(3),
      stream: ['e0', 'e1', 'e2'],
      dlq: ['e2'],
      k6Accepted: 3,
      engine: { delivered: 3, duplicates: 0 },
    });
    expect(a).toMatchObject({ lost: 0, inDlq: 1, duplicates: 0 });
  });

  it('reports duplicates when an event is delivered twice', () => {
    const a = audit({
      ledger: ids(3),
      stream: [...ids(3), 'e1'],
      dlq: [],
      k6Accepted: 3,
      engine: { delivered: 3, duplicates: 1 },
    });
    expect(a.duplicates).toBe(1);
    expect(a.duplicateIds).toEqual(['e1']);
    expect(a.lost).toBe(0);
  });

  it('counts redeliveries the consumer saw even when the stream holds each id once', () => {
    const a = audit({
      ledger: ids(3),
      stream: ids(3),
      dlq: [],
      k6Accepted: 3,
      engine: { delivered: 3, duplicates: 2 },
    });
    expect(a.duplicates).toBe(2);
  });

  it('reports writes in the stream without a 202 as unacknowledged, not as loss', () => {
    const a = audit({
      ledger: ids(2),
      stream: [...ids(2), 'orphan'],
      dlq: [],
      k6Accepted: 2,
      // The consumer delivered all three, the orphan included.
      engine: { delivered: 3, duplicates: 0 },
    });
    expect(a).toMatchObject({ unacknowledged: 1, lost: 0 });
  });

  it('does not let delivered unacknowledged writes hide an accepted event that was never delivered', () => {
    const a = audit({
      ledger: ids(3),
      stream: [...ids(3), 'orphan'],
      dlq: [],
      k6Accepted: 3,
      engine: { delivered: 3, duplicates: 0 },
    });
    expect(a).toMatchObject({ unacknowledged: 1, lost: 1 });
  });

  it('counts accepted events the consumer never delivered as lost even when the stream has them', () => {
    const a = audit({
      ledger: ids(4),
      stream: ids(4),
      dlq: [],
      k6Accepted: 4,
      engine: { delivered: 2, duplicates: 0 },
    });
    expect(a.lost).toBe(2);
    expect(a.lostIds).toEqual([]);
  });
});
