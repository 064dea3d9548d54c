import type { Admin, ITopicMetadata } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createTopicsLed } from './kafka-topics.ts';

const unknown = () =>
  Object.assign(new Error('This server does not host this topic-partition'), {
    retriable: true,
    type: 'UNKNOWN_TOPIC_OR_PARTITION',
  });
const partitions = (leaders: number[]) =>
  leaders.map((leader, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader,
    replicas: [1],
    isr: [1],
  }));

/** An admin whose metadata answers are scripted: an Error is thrown, an array is the leaders. */
function scriptedAdmin(answers: Array<Error | number[]>, create: () => Promise<boolean>) {
  const calls = { create: 0, metadata: 0 };
  const admin = {
    createTopics: async () => {
      calls.create++;
      return create();
    },
    fetchTopicMetadata: async (): Promise<{ topics: ITopicMetadata[] }> => {
      const a = answers[Math.min(calls.metadata++, answers.length - 1)];
      if (a instanceof Error) throw a;
      return { topics: [{ name: 't', partitions: partitions(a ?? []) }] };
    },
  } as unknown as Admin;
  return { admin, calls };
}

describe('createTopicsLed', () => {
  it('waits through UNKNOWN_TOPIC_OR_PARTITION and leaderless partitions until every one is led', async () => {
    const { admin, calls } = scriptedAdmin(
      [unknown(), [0, -1, 2], [], [0, 1, 2]],
      async () => true,
    );
    await createTopicsLed(admin, [{ topic: 't', numPartitions: 3 }]);
    expect(calls).toEqual({ create: 1, metadata: 4 });
  });

  it('still waits for leaders when the topic already existed', async () => {
    const { admin, calls } = scriptedAdmin([[-1], [0]], async () => false);
    await createTopicsLed(admin, [{ topic: 't', numPartitions: 1 }]);
    expect(calls.metadata).toBe(2);
  });

  it('waits while fewer partitions than asked are known', async () => {
    const { admin, calls } = scriptedAdmin([[0], [0, 1]], async () => true);
    await createTopicsLed(admin, [{ topic: 't', numPartitions: 2 }]);
    expect(calls.metadata).toBe(2);
  });

  it('throws what is not retriable at once, and what is retriable after the timeout', async () => {
    const denied = Object.assign(new Error('denied'), { retriable: false });
    const refused = scriptedAdmin([[0]], async () => Promise.reject(denied));
    await expect(createTopicsLed(refused.admin, [{ topic: 't' }])).rejects.toBe(denied);
    expect(refused.calls.metadata).toBe(0);
    const never = scriptedAdmin([[-1]], async () => true);
    await expect(createTopicsLed(never.admin, [{ topic: 't' }], 600)).rejects.toThrow(
      'no leader yet for every partition of t',
    );
    expect(never.calls.metadata).toBeGreaterThan(1);
  });
});
