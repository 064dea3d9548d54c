import { describe, expect, it } from 'vitest';
import { copyRecord, emptyCopy } from './read.ts';

const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const event = (id: string) => ({ id, type: 'order.placed', huntId: 'h-1', playerId: 'p-1' });
const entry = (e: unknown, raw?: string) => ({
  reason: e ? 'price-mismatch' : 'invalid-event',
  attempts: 0,
  ts: 1,
  error: 'x',
  source: 'hunt-events/0@1',
  event: e,
  ...(raw === undefined ? {} : { raw }),
});

describe("the audit's copy of the stream", () => {
  it('counts every record whose event id cannot be read, on each side, instead of dropping it', () => {
    const copy = emptyCopy();
    const path = ['id'];
    copyRecord(copy, 'stream', json(event('a')), path);
    copyRecord(copy, 'stream', Buffer.from('not json'), path);
    copyRecord(copy, 'stream', json({ type: 'order.placed' }), path);
    copyRecord(copy, 'dlq', json(entry(event('b'))), path);
    copyRecord(copy, 'dlq', json({ reason: 'x' }), path);
    copyRecord(copy, 'dlq', json(entry(null, 'garbage')), path);
    expect(copy).toEqual({ stream: ['a'], dlq: ['b'], unreadable: { stream: 2, dlq: 2 } });
  });

  it('reads the id of a poison record from the raw text the DLQ kept of it', () => {
    const copy = emptyCopy();
    copyRecord(copy, 'dlq', json(entry(null, JSON.stringify({ id: 'c', type: 'bogus' }))), ['id']);
    expect(copy).toEqual({ stream: [], dlq: ['c'], unreadable: { stream: 0, dlq: 0 } });
  });
});
