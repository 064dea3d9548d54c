/**
 * On a Kafka cluster, who leads partition 0 of the run's topic, read once a second from the
 * brokers' direct listeners, and how many times the leader of any of its partitions changed:
 * the timeline's trace of a leader election (`kafkaLeader`, `kafkaLeaderChanges`). Sampled on its own timer so that a
 * slow admin call (a broker just killed) never delays the collector's tick; null while no
 * broker answers.
 */
import { Kafka, logLevel } from 'kafkajs';
import type { TimelinePoint } from '../../contract/schema.ts';
import type { Paths, Ports } from '../../stack/config.ts';
import { readStackInfo } from '../../stack/stack.ts';
import { kafkaBootstrap } from './cluster.ts';
import { clusterOf } from './component.ts';

type LeaderFields = Pick<TimelinePoint, 'kafkaLeader' | 'kafkaLeaderChanges'>;

export interface LeaderSampler {
  fields(): LeaderFields;
  stop(): Promise<void>;
}

export function startLeaderSampler(
  paths: Paths,
  ports: Ports,
  topic: string,
): LeaderSampler | null {
  const cluster = clusterOf({ options: readStackInfo(paths)?.options ?? {} });
  if (cluster.brokers === 1) return null;
  const admin = new Kafka({
    clientId: 'hunt-leader-sampler',
    brokers: kafkaBootstrap(ports, cluster, true),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 2_000,
    retry: { retries: 0 },
  }).admin();
  let leader: number | null = null;
  const last = new Map<number, number>();
  let changes = 0;
  let busy = false;
  const sample = async () => {
    if (busy) return;
    busy = true;
    try {
      await admin.connect();
      const md = await admin.fetchTopicMetadata({ topics: [topic] });
      const partitions = md.topics[0]?.partitions ?? [];
      const p0 = partitions.find((p) => p.partitionId === 0);
      leader = p0 && p0.leader >= 0 ? p0.leader : null;
      for (const p of partitions) {
        if (p.leader < 0) continue;
        const before = last.get(p.partitionId);
        if (before !== undefined && before !== p.leader) changes++;
        last.set(p.partitionId, p.leader);
      }
    } catch {
      leader = null;
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void sample(), 1_000);
  void sample();
  return {
    fields: () => ({ kafkaLeader: leader, kafkaLeaderChanges: changes }),
    async stop() {
      clearInterval(timer);
      await admin.disconnect().catch(() => {});
    },
  };
}
