/**
 * Which broker of a Kafka cluster to kill when a plan says `broker`: the leader of the busiest
 * partition, the one holding the most records of the topics clients write (internal topics
 * aside), as the broker whose loss costs the most. Asked of the brokers' direct listeners, so
 * that a fault on the proxies cannot hide the answer.
 */
import { kafkaAdmin } from './component.ts';

export interface PartitionLeader {
  topic: string;
  partition: number;
  leader: number;
}

export async function busiestPartitionLeader(ports: number[]): Promise<PartitionLeader | null> {
  const admin = kafkaAdmin(ports);
  try {
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => !t.startsWith('__'));
    let best: (PartitionLeader & { records: number }) | null = null;
    for (const topic of topics) {
      const [offsets, metadata] = await Promise.all([
        admin.fetchTopicOffsets(topic),
        admin.fetchTopicMetadata({ topics: [topic] }),
      ]);
      for (const p of metadata.topics[0]?.partitions ?? []) {
        const o = offsets.find((x) => x.partition === p.partitionId);
        const records = o ? Number(o.high) - Number(o.low) : 0;
        if (p.leader >= 0 && (best === null || records > best.records)) {
          best = { topic, partition: p.partitionId, leader: p.leader, records };
        }
      }
    }
    return best && { topic: best.topic, partition: best.partition, leader: best.leader };
  } finally {
    await admin.disconnect();
  }
}
