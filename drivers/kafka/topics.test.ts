import type { Admin, ITopicMetadata } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTopicsLedWith } from './topics.ts';

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

/** What one broker answers to successive metadata reads: an Error is thrown, an array is the leaders. */
type Script = Array<Error | number[]>;

/**
 * A cluster of brokers `b1:9092`…, each answering metadata from its own script, as a cluster
 * whose brokers learn of a topic at different moments does.
 */
function scriptedCluster(scripts: Script[], create: () => Promise<boolean> = async () => true) {
  const brokers = scripts.map((_, i) => ({ nodeId: i + 1, host: `b${i + 1}`, port: 9092 }));
  const reads = scripts.map(() => 0);
  const calls = { create: 0, clients: 0, disconnected: 0 };
  const adminFor = (seeds: string[]): Admin => {
    calls.clients++;
    const i = brokers.findIndex((b) => `${b.host}:${b.port}` === seeds[0]);
    return {
      connect: async () => {},
      disconnect: async () => {
        calls.disconnected++;
      },
      createTopics: async () => {
        calls.create++;
        return create();
      },
      describeCluster: async () => ({ brokers, controller: 1, clusterId: 'c' }),
      fetchTopicMetadata: async (): Promise<{ topics: ITopicMetadata[] }> => {
        const script = scripts[i] ?? [];
        const n = reads[i] ?? 0;
        reads[i] = n + 1;
        const a = script[Math.min(n, script.length - 1)];
        if (a instanceof Error) throw a;
        return { topics: [{ name: 't', partitions: partitions(a ?? []) }] };
      },
    } as unknown as Admin;
  };
  return { adminFor, calls, reads };
}

/** Runs the fake clock on, a retry's wait at a time, until `p` settles. */
async function settled<T>(p: Promise<T>): Promise<T> {
  let done = false;
  p.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  while (!done) await vi.advanceTimersByTimeAsync(250);
  return p;
}

describe('createTopicsLed', () => {
  // A frozen clock: the retries' waits and the timeout pass at once.
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits until every broker answers with every partition led', async () => {
    const c = scriptedCluster([
      [[0, 1, 2]],
      [unknown(), unknown(), [0, 1, 2]],
      [[0, -1, 2], [], [0, 1, 2]],
    ]);
    await settled(
      createTopicsLedWith(c.adminFor, ['b1:9092'], [{ topic: 't', numPartitions: 3 }], 10_000),
    );
    expect(c.calls.create).toBe(1);
    // Broker 2 is asked until it knows the topic; broker 3 until its partition 1 is led.
    expect(c.reads[1]).toBeGreaterThanOrEqual(3);
    expect(c.reads[2]).toBeGreaterThanOrEqual(3);
    expect(c.calls.disconnected).toBe(c.calls.clients);
  });

  it('still waits when the topic already existed', async () => {
    const c = scriptedCluster([[[-1], [0]]], async () => false);
    await settled(
      createTopicsLedWith(c.adminFor, ['b1:9092'], [{ topic: 't', numPartitions: 1 }], 10_000),
    );
    expect(c.reads[0]).toBe(2);
  });

  it('waits while fewer partitions than asked are known', async () => {
    const c = scriptedCluster([[[0], [0, 1]]]);
    await settled(
      createTopicsLedWith(c.adminFor, ['b1:9092'], [{ topic: 't', numPartitions: 2 }], 10_000),
    );
    expect(c.reads[0]).toBe(2);
  });

  it('throws what is not retriable at once, and after the timeout names the broker that lags', async () => {
    const denied = Object.assign(new Error('denied'), { retriable: false });
    const refused = scriptedCluster([[[0]]], async () => Promise.reject(denied));
    await expect(
      settled(createTopicsLedWith(refused.adminFor, ['b1:9092'], [{ topic: 't' }], 10_000)),
    ).rejects.toBe(denied);
    expect(refused.reads[0]).toBe(0);
    expect(refused.calls.disconnected).toBe(refused.calls.clients);

    const lagging = scriptedCluster([[[0]], [unknown()]]);
    await expect(
      settled(createTopicsLedWith(lagging.adminFor, ['b1:9092'], [{ topic: 't' }], 600)),
    ).rejects.toThrow('This server does not host this topic-partition');
    const leaderless = scriptedCluster([[[0]], [[-1]]]);
    await expect(
      settled(createTopicsLedWith(leaderless.adminFor, ['b1:9092'], [{ topic: 't' }], 600)),
    ).rejects.toThrow('broker b2:9092 knows no leader yet for t');
    expect(leaderless.reads[1]).toBeGreaterThan(1);
  });
});
