import { describe, expect, it } from 'vitest';
import { Audit } from '../../contract/schema.ts';
import { audit } from './audit.ts';
import type { K6Witness } from './witness.ts';

/** Every record read had a readable event id. */
const NONE = { stream: 0, dlq: 0 };
const ids = (n: number) => Array.from({ length: n }, (_, i) => `e${i}`);
/** k6 got a 202 for `accepted` and sent `others` too without one. */
const k6Saw = (accepted: string[], others: string[] = []): K6Witness => ({
  accepted: new Set(accepted),
  sent: new Set([...accepted, ...others]),
  unwitnessed: 0,
});

describe('audit', () => {
  it('finds nothing wrong when every accepted id is in the stream once and was delivered', () => {
    const a = audit({
      witness: k6Saw(ids(5)),
      ledger: ids(5),
      stream: ids(5),
      dlq: [],
      unreadable: NONE,
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
      witness: k6Saw(ids(5)),
      ledger: ids(5),
      stream,
      dlq: [],
      unreadable: NONE,
      k6Accepted: 5,
      engine: { delivered: 4, duplicates: 0 },
    });
    expect(a.lost).toBe(1);
    expect(a.lostIds).toEqual(['e3']);
  });

  it('counts an accepted event that went to the DLQ as delivered, not lost', () => {
    const a = audit({
      witness: k6Saw(ids(3)),
      ledger: ids(3),
      stream: ['e0', 'e1', 'e2'],
      dlq: ['e2'],
      unreadable: NONE,
      k6Accepted: 3,
      engine: { delivered: 3, duplicates: 0 },
    });
    expect(a).toMatchObject({ lost: 0, inDlq: 1, duplicates: 0 });
  });

  it('reports duplicates when an event is delivered twice', () => {
    const a = audit({
      witness: k6Saw(ids(3)),
      ledger: ids(3),
      stream: [...ids(3), 'e1'],
      dlq: [],
      unreadable: NONE,
      k6Accepted: 3,
      engine: { delivered: 3, duplicates: 1 },
    });
    expect(a.duplicates).toBe(1);
    expect(a.duplicateIds).toEqual(['e1']);
    expect(a.lost).toBe(0);
  });

  it('counts redeliveries the consumer saw even when the stream holds each id once', () => {
    const a = audit({
      witness: k6Saw(ids(3)),
      ledger: ids(3),
      stream: ids(3),
      dlq: [],
      unreadable: NONE,
      k6Accepted: 3,
      engine: { delivered: 3, duplicates: 2 },
    });
    expect(a.duplicates).toBe(2);
  });

  it('reports writes in the stream without a 202 as unacknowledged, not as loss', () => {
    const a = audit({
      witness: k6Saw(ids(2), ['orphan']),
      ledger: ids(2),
      stream: [...ids(2), 'orphan'],
      dlq: [],
      unreadable: NONE,
      k6Accepted: 2,
      // The consumer delivered all three, the orphan included.
      engine: { delivered: 3, duplicates: 0 },
    });
    expect(a).toMatchObject({ unacknowledged: 1, lost: 0, foreign: { count: 0 } });
  });

  it('does not let delivered unacknowledged writes hide an accepted event that was never delivered', () => {
    const a = audit({
      witness: k6Saw(ids(3)),
      ledger: ids(3),
      stream: [...ids(3), 'orphan'],
      dlq: [],
      unreadable: NONE,
      k6Accepted: 3,
      engine: { delivered: 3, duplicates: 0 },
    });
    expect(a).toMatchObject({ unacknowledged: 1, lost: 0, undelivered: 1 });
  });

  it('counts accepted events the consumer never delivered as undelivered, apart from lost ones', () => {
    const a = audit({
      witness: k6Saw(ids(4)),
      ledger: ids(4),
      stream: ids(4),
      dlq: [],
      unreadable: NONE,
      k6Accepted: 4,
      engine: { delivered: 2, duplicates: 0 },
    });
    expect(a).toMatchObject({ lost: 0, lostIds: [], undelivered: 2 });
  });

  it('takes the accepted set from k6, not from the engine: a 202 missing from the ledger and the stream is lost', () => {
    // The engine answered 202 for e2 but never wrote it: not to the broker, not to its ledger.
    const a = audit({
      witness: k6Saw(ids(3)),
      ledger: ['e0', 'e1'],
      stream: ['e0', 'e1'],
      dlq: [],
      unreadable: NONE,
      k6Accepted: 3,
      engine: { delivered: 2, duplicates: 0 },
    });
    expect(a).toMatchObject({ witness: 'k6-samples', accepted: 3, lost: 1, lostIds: ['e2'] });
    expect(a.ledger?.missing).toEqual({ count: 1, ids: ['e2'] });
  });

  it('cross-checks the ledger both ways: a 202 without a line, a line without a 202', () => {
    const a = audit({
      witness: k6Saw(['e0', 'e1'], ['e2']),
      ledger: ['e1', 'e2'],
      stream: ['e0', 'e1', 'e2'],
      dlq: [],
      unreadable: NONE,
      k6Accepted: 2,
      engine: { delivered: 3, duplicates: 0 },
    });
    expect(a.ledger).toEqual({
      lines: 2,
      missing: { count: 1, ids: ['e0'] },
      extra: { count: 1, ids: ['e2'] },
    });
    expect(a).toMatchObject({ lost: 0, unacknowledged: 1 });
  });

  it('names events in the stream that k6 never sent as foreign', () => {
    const a = audit({
      witness: k6Saw(ids(2)),
      ledger: null,
      stream: [...ids(2), 'invented'],
      dlq: [],
      unreadable: NONE,
      k6Accepted: 2,
      engine: { delivered: 3, duplicates: 0 },
    });
    expect(a.foreign).toEqual({ count: 1, ids: ['invented'] });
    expect(a.ledger).toBeNull();
    expect(Audit.parse(a).lost).toBe(0);
  });
});

describe('audit, the engine unread', () => {
  it("leaves delivered, undelivered and duplicates unknown, never 0, when the engine's status was not read", () => {
    const a = audit({
      witness: k6Saw(ids(3)),
      ledger: null,
      stream: ids(3),
      dlq: [],
      unreadable: NONE,
      k6Accepted: 3,
      engine: null,
    });
    expect(Audit.parse(a)).toMatchObject({
      lost: 0,
      delivered: null,
      undelivered: null,
      duplicates: null,
    });
  });
});
