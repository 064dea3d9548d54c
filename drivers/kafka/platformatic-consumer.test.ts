import { Readable } from 'node:stream';
import { expect, test, vi } from 'vitest';
import type { Received } from '../../engine/backend.ts';
import type { KafkaBackendOptions } from './options.ts';

/** What the fake client did, in order: handled batches, commits, closes, consumes. */
const events: string[] = [];
/**
 * The messages each consume() call's stream yields (one list per call, then nothing more);
 * `'error'` makes that stream fail as the client's does when a fetch is out of retries.
 */
const feeds: ({ partition: number; offset: number }[] | 'error')[] = [];

vi.mock('@platformatic/kafka', () => ({
  MessagesStreamModes: { COMMITTED: 'committed' },
  MessagesStreamFallbackModes: { EARLIEST: 'earliest' },
  Consumer: class {
    async consume() {
      events.push('consume');
      const feed = feeds.shift() ?? [];
      const stream = new Readable({ objectMode: true, read() {} });
      if (feed === 'error') setTimeout(() => stream.destroy(new Error('fetch failed 3 times')), 20);
      for (const m of feed === 'error' ? [] : feed)
        stream.push({
          key: Buffer.from(`k${m.offset}`),
          value: Buffer.from(`v${m.offset}`),
          timestamp: 1700000000000n,
          partition: m.partition,
          offset: BigInt(m.offset),
          commit: async () => {
            events.push(`commit ${m.partition}@${m.offset}`);
          },
        });
      return Object.assign(stream, {
        close: async () => {
          events.push('stream close');
          stream.destroy();
        },
      });
    }
    async close() {
      events.push('consumer close');
    }
  },
}));

const { PlatformaticConsumer } = await import('./platformatic-consumer.ts');

const options = {
  endpoints: ['127.0.0.1:9092'],
  clientId: 'test',
  requestTimeoutMs: 1000,
  region: 'local',
  lagPollMs: 1000,
  log: () => {},
} satisfies KafkaBackendOptions;

const until = async (what: () => boolean) => {
  for (let i = 0; i < 200 && !what(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(what()).toBe(true);
};

test('hands each partition its records in order and commits its last offset only after the handler resolved', async () => {
  events.length = 0;
  feeds.push([
    { partition: 0, offset: 5 },
    { partition: 1, offset: 9 },
    { partition: 0, offset: 6 },
  ]);
  const release: (() => void)[] = [];
  const c = new PlatformaticConsumer(options, 'g');
  await c.start('t', async (batch: Received[]) => {
    events.push(`handle ${batch.map((r) => r.source).join(' ')}`);
    await new Promise<void>((r) => release.push(r));
    events.push(`handled ${batch[0]!.source}`);
  });
  await until(() => release.length === 2);
  expect(events.filter((e) => e.startsWith('commit'))).toEqual([]);
  for (const r of release) r();
  await until(() => events.filter((e) => e.startsWith('commit')).length === 2);
  await c.close();
  expect(events).toContain('handle t/0@5 t/0@6');
  expect(events).toContain('handle t/1@9');
  expect(events.indexOf('commit 0@6')).toBeGreaterThan(events.indexOf('handled t/0@5'));
  expect(events.indexOf('commit 1@9')).toBeGreaterThan(events.indexOf('handled t/1@9'));
  expect(events.slice(-2)).toEqual(['stream close', 'consumer close']);
});

test('a failed batch is not committed: the consumer reads again from the committed offsets', async () => {
  events.length = 0;
  feeds.push([{ partition: 0, offset: 1 }], [{ partition: 0, offset: 1 }]);
  let calls = 0;
  const c = new PlatformaticConsumer(options, 'g');
  await c.start('t', async () => {
    if (++calls === 1) throw new Error('downstream gone');
  });
  await until(() => events.includes('commit 0@1'));
  await c.close();
  expect(calls).toBe(2);
  expect(events.filter((e) => e === 'consume')).toHaveLength(2);
  // The first stream was closed before the second consume, and only the retry committed.
  expect(events.indexOf('stream close')).toBeLessThan(events.lastIndexOf('consume'));
  expect(events.filter((e) => e.startsWith('commit'))).toEqual(['commit 0@1']);
});

test('close() lets the batch in flight finish and commit before it leaves', async () => {
  events.length = 0;
  feeds.push([{ partition: 2, offset: 40 }]);
  let release!: () => void;
  const c = new PlatformaticConsumer(options, 'g');
  await c.start('t', async () => {
    await new Promise<void>((r) => {
      release = r;
    });
  });
  await until(() => release !== undefined);
  const closed = c.close();
  await new Promise((r) => setTimeout(r, 30));
  expect(events).not.toContain('consumer close');
  release();
  await closed;
  expect(events.slice(-3)).toEqual(['commit 2@40', 'stream close', 'consumer close']);
});

test('a stream that fails (the broker unreachable) is replaced, and reading goes on', async () => {
  events.length = 0;
  feeds.push('error', [{ partition: 0, offset: 7 }]);
  const handled: string[] = [];
  const c = new PlatformaticConsumer(options, 'g');
  await c.start('t', async (batch: Received[]) => {
    handled.push(...batch.map((r) => r.source));
  });
  await until(() => events.includes('commit 0@7'));
  await c.close();
  expect(handled).toEqual(['t/0@7']);
  expect(events.filter((e) => e === 'consume')).toHaveLength(2);
});
