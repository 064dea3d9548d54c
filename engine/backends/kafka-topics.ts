import type { Admin, ITopicConfig } from 'kafkajs';

/**
 * Creates topics (an existing one is left as it is) and waits until every partition has a leader
 * in the metadata a client sees.
 *
 * kafkajs's own `waitForLeaders` retries LEADER_NOT_AVAILABLE only: a cluster whose brokers have
 * not all learnt of the new topic yet answers UNKNOWN_TOPIC_OR_PARTITION, which it throws; and a
 * retried create of a topic that now exists returns at once without waiting. So the wait here is
 * ours: metadata is read until every partition of every topic is led, retrying what Kafka marks
 * retriable, until `timeoutMs`.
 */
export async function createTopicsLed(
  admin: Admin,
  topics: ITopicConfig[],
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const retrying = async (attempt: () => Promise<unknown>): Promise<void> => {
    for (;;) {
      try {
        await attempt();
        return;
      } catch (err) {
        const retriable = (err as { retriable?: boolean }).retriable === true;
        if (!retriable || Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  };
  await retrying(() => admin.createTopics({ topics, waitForLeaders: false }));
  const wanted = new Map(topics.map((t) => [t.topic, t.numPartitions]));
  await retrying(async () => {
    const md = await admin.fetchTopicMetadata({ topics: [...wanted.keys()] });
    const unled = md.topics.flatMap((t) => {
      const count = wanted.get(t.name);
      const led = t.partitions.filter((p) => p.partitionErrorCode === 0 && p.leader >= 0);
      const short = count !== undefined && count > 0 && t.partitions.length < count;
      return led.length < t.partitions.length || t.partitions.length === 0 || short ? [t.name] : [];
    });
    if (unled.length > 0) {
      const err = new Error(`no leader yet for every partition of ${unled.join(', ')}`);
      throw Object.assign(err, { retriable: true });
    }
  });
}
