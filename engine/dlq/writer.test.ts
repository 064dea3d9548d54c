import { afterEach, expect, test } from 'vitest';
import { expectPauses, pinJitter, unpinJitter } from '../../testkit/pinned-jitter.ts';
import type { BackendProducer, OutRecord } from '../backend.ts';
import { StoppingError } from '../errors.ts';
import type { DlqEntry } from './entry.ts';
import { DlqWriter } from './writer.ts';

afterEach(unpinJitter);

const entries = (n: number): DlqEntry[] =>
  Array.from({ length: n }, (_, i) => ({
    reason: 'invalid-event',
    attempts: 0,
    ts: 0,
    error: `bad ${i}`,
    source: `p0@${i}`,
    event: null,
  }));

/** Answers each call with the next script entry (the last one repeats); records the sends. */
function producer(script: ((rs: OutRecord[]) => (Error | undefined)[] | 'reject')[]) {
  const sent: string[][] = [];
  const at: number[] = [];
  const p: BackendProducer = {
    send: async (rs) => {
      at.push(Date.now());
      const answer = script[Math.min(sent.length, script.length - 1)]!(rs);
      sent.push(rs.map((r) => JSON.parse(r.value.toString()).error));
      if (answer === 'reject') throw new Error('broker down');
      return answer;
    },
  };
  return { p, sent, at };
}
const acks = (rs: OutRecord[]) => rs.map(() => undefined);
const reject = () => 'reject' as const;
const writer = (p: BackendProducer, stopping = () => false) =>
  new DlqWriter(p, 1000, stopping, () => 0);

test('entries the broker refused are sent again until acked; acked ones are not', async () => {
  const { p, sent } = producer([
    (rs) => rs.map((_, i) => (i === 1 ? new Error('refused') : undefined)),
    acks,
  ]);
  let kept = 0;
  await writer(p).write(entries(3), async () => {
    kept++;
  });
  expect(sent).toEqual([['bad 0', 'bad 1', 'bad 2'], ['bad 1']]);
  expect(kept).toBe(1);
});

test('a failed call is retried with every entry, with no attempt limit', async () => {
  const { p, sent, at } = producer([reject, reject, reject, reject, reject, acks]);
  pinJitter();
  await expectPauses(
    writer(p).write(entries(2), async () => {}),
    at,
    [100, 200, 400, 800, 1600],
  );
  expect(sent).toHaveLength(6);
  expect(sent.every((s) => s.length === 2)).toBe(true);
});

test('backoff is capped at 2 s', async () => {
  const { p, at } = producer([reject, reject, reject, reject, reject, reject, reject, acks]);
  pinJitter();
  const done = writer(p).write(entries(1), async () => {});
  await expectPauses(done, at, [100, 200, 400, 800, 1600, 2000, 2000]);
});

test('an unacked write while stopping throws StoppingError instead of retrying', async () => {
  const { p, sent } = producer([reject]);
  await expect(writer(p, () => true).write(entries(1), async () => {})).rejects.toBeInstanceOf(
    StoppingError,
  );
  expect(sent).toHaveLength(1);
});

test('nothing to write sends nothing', async () => {
  const { p, sent } = producer([acks]);
  await writer(p).write([], async () => {});
  expect(sent).toHaveLength(0);
});
