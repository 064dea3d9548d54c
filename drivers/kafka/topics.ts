import { type Admin, type ITopicConfig, Kafka, type KafkaConfig } from 'kafkajs';

/** An admin client whose only seed is `brokers`: its metadata reads go to that broker. */
export type AdminFor = (brokers: string[]) => Admin;

/**
 * Creates topics (an existing one is left as it is) and waits until every broker of the cluster
 * answers metadata in which every partition has a leader.
 *
 * kafkajs's own `waitForLeaders` asks one broker and retries LEADER_NOT_AVAILABLE only. On a
 * cluster the other brokers learn of a new topic a little later and answer
 * UNKNOWN_TOPIC_OR_PARTITION meanwhile, which a client reading metadata from them (a producer,
 * the lag monitor, the audit) meets as an error; and a retried create of a topic that now exists
 * returns at once without waiting. So the wait here is ours: each broker is asked in turn,
 * through a client seeded with that broker alone, retrying what Kafka marks retriable, until
 * `timeoutMs`.
 */
export async function createTopicsLed(
  config: KafkaConfig & { brokers: string[] },
  topics: ITopicConfig[],
  timeoutMs = 30_000,
): Promise<void> {
  await createTopicsLedWith(
    (brokers) => new Kafka({ ...config, brokers }).admin(),
    config.brokers,
    topics,
    timeoutMs,
  );
}

export async function createTopicsLedWith(
  adminFor: AdminFor,
  seeds: string[],
  topics: ITopicConfig[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const admins = new Map<string, Promise<Admin>>();
  const connected = (brokers: string[]) => {
    const key = brokers.join(',');
    let admin = admins.get(key);
    if (!admin) {
      const a = adminFor(brokers);
      admin = a.connect().then(() => a);
      admins.set(key, admin);
      // A failed connect is retried with a fresh client.
      admin.catch(() => admins.delete(key));
    }
    return admin;
  };
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
  const wanted = new Map(topics.map((t) => [t.topic, t.numPartitions]));
  const unled = async (admin: Admin): Promise<string[]> => {
    const md = await admin.fetchTopicMetadata({ topics: [...wanted.keys()] });
    return md.topics.flatMap((t) => {
      const count = wanted.get(t.name) ?? 1;
      const led = t.partitions.filter((p) => p.partitionErrorCode === 0 && p.leader >= 0);
      return led.length < Math.max(count, t.partitions.length, 1) ? [t.name] : [];
    });
  };
  try {
    await retrying(async () => (await connected(seeds)).createTopics({ topics }));
    await retrying(async () => {
      const { brokers } = await (await connected(seeds)).describeCluster();
      for (const b of brokers) {
        const address = `${b.host}:${b.port}`;
        const missing = await unled(await connected([address]));
        if (missing.length > 0) {
          const err = new Error(`broker ${address} knows no leader yet for ${missing.join(', ')}`);
          throw Object.assign(err, { retriable: true });
        }
      }
    });
  } finally {
    const all = await Promise.allSettled(admins.values());
    await Promise.allSettled(
      all.flatMap((a) => (a.status === 'fulfilled' ? [a.value.disconnect()] : [])),
    );
  }
}
