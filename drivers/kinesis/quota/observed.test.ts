import { describe, expect, it } from 'vitest';
import { ObservedService, POLL_MS } from './observed.ts';

const put = (seqs: string[]) => ({ Records: seqs.map((SequenceNumber) => ({ SequenceNumber })) });
const read = (seqs: string[]) => ({ Records: seqs.map((SequenceNumber) => ({ SequenceNumber })) });

describe('propagation as the service delivers it', () => {
  it('counts the read and the wait for it up to one poll, not a consumer that paused', () => {
    const o = new ObservedService();
    o.handled('PutRecords', 200, put(['1']), 1_000);
    // The consumer paused 5 s before reading; its read took 30 ms.
    o.answered('GetRecords', 200, read(['1']), 30, 6_030);
    expect(o.summary().propagation).toMatchObject({ count: 1, meanMs: POLL_MS + 30 });
  });

  it('counts the whole wait when a read came within a poll of the write', () => {
    const o = new ObservedService();
    o.handled('PutRecords', 200, put(['1', '2']), 1_000);
    o.answered('GetRecords', 200, read(['1', '2']), 40, 1_090);
    expect(o.summary().propagation).toMatchObject({ count: 2, meanMs: 90 });
  });

  it('counts a record once, on its first read, and none a read of records never stored here', () => {
    const o = new ObservedService();
    o.handled('PutRecords', 200, put(['1']), 1_000);
    o.answered('GetRecords', 200, read(['1']), 10, 1_020);
    o.answered('GetRecords', 200, read(['1', 'x']), 10, 9_000);
    expect(o.summary().propagation).toMatchObject({ count: 1, meanMs: 20 });
  });

  it('has no figure when nothing stored was read: unknown, not 0', () => {
    const o = new ObservedService();
    o.handled('PutRecords', 200, put(['1']), 1_000);
    expect(o.summary().propagation).toEqual({ count: 0, meanMs: null, p50Ms: null, p99Ms: null });
  });
});
