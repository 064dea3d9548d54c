import { expect, test } from 'vitest';
import { MemoryBackend } from '../drivers/memory/backend.ts';
import { prepareTopics } from './topics.ts';

const backend = () =>
  new MemoryBackend({
    endpoints: [],
    clientId: 't',
    requestTimeoutMs: 1000,
    region: 'x',
    lagPollMs: 1000,
    log: () => {},
  });
const c = {
  topic: 'orders',
  dlqTopic: 'orders-dlq',
  partitions: 2,
  backend: 'kafka' as const,
};

test('createTopic false: a missing topic, or DLQ for a design that dead-letters, is named; nothing is created', async () => {
  const b = backend();
  await expect(prepareTopics(b, { ...c, createTopic: false, dlq: true })).rejects.toThrow(
    "topic: topic 'orders' does not exist and createTopic is false",
  );
  expect(await b.topicExists('orders')).toBe(false);
  await b.ensureTopic('orders', 2);
  await expect(prepareTopics(b, { ...c, createTopic: false, dlq: true })).rejects.toThrow(
    "dlqTopic: topic 'orders-dlq' does not exist",
  );
  await prepareTopics(b, { ...c, createTopic: false, dlq: false });
  expect(await b.topicExists('orders-dlq')).toBe(false);
  await prepareTopics(b, { ...c, createTopic: true, dlq: true });
  expect(await b.topicExists('orders-dlq')).toBe(true);
});

test('a reader from the end marked before more records reads only those', async () => {
  const b = backend();
  await b.ensureTopic('t', 2);
  const producer = await b.createProducer('t');
  const rec = (k: string) => ({ key: k, value: Buffer.from(k), ts: 1 });
  await producer.send([rec('old-a'), rec('old-b')]);
  const mark = await b.markEnd('t');
  await producer.send([rec('new-a')]);
  const seen: string[] = [];
  await b.readAll('t', (r) => seen.push(r.value.toString()), mark);
  expect(seen).toEqual(['new-a']);
  const all: string[] = [];
  await b.readAll('t', (r) => all.push(r.value.toString()));
  expect(all.sort()).toEqual(['new-a', 'old-a', 'old-b']);
});
