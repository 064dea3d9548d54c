/**
 * The run's topic as the broker has it: the fewest replicas of any partition and its
 * min.insync.replicas, read from the brokers' direct listeners once the engine created it.
 * The fidelity record's replication rests on these figures, not on the stack's configuration.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import kafkajs from 'kafkajs';
import type { TopicReadBack } from '../../contract/fidelity-schema.ts';
import { kafkaAdmin } from './component.ts';

// kafkajs is CommonJS: Node's ESM loader finds no named export for this enum.
const { ConfigResourceTypes } = kafkajs;

/** A broker that stops answering must not hold the run: the read-back gives up after this. */
const READ_BACK_MS = 15_000;

export async function readTopicReplication(
  ports: number[],
  topic: string,
  timeoutMs = READ_BACK_MS,
): Promise<TopicReadBack> {
  const admin = kafkaAdmin(ports);
  let timer: NodeJS.Timeout | undefined;
  const read = async (): Promise<TopicReadBack> => {
    await admin.connect();
    const md = await admin.fetchTopicMetadata({ topics: [topic] });
    const partitions = md.topics.find((t) => t.name === topic)?.partitions ?? [];
    if (partitions.length === 0) throw new Error(`the broker lists no partition of ${topic}`);
    const replicationFactor = Math.min(...partitions.map((p) => p.replicas.length));
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [
        { type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['min.insync.replicas'] },
      ],
    });
    const entry = configs.resources[0]?.configEntries.find(
      (e) => e.configName === 'min.insync.replicas',
    );
    const isr = entry ? Number(entry.configValue) : Number.NaN;
    if (!Number.isInteger(isr))
      throw new Error(`no min.insync.replicas in the broker's config of ${topic}`);
    return { topic, replicationFactor, minInsyncReplicas: isr, error: null };
  };
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([read(), timeout]);
  } catch (err) {
    return {
      topic,
      replicationFactor: null,
      minInsyncReplicas: null,
      error: (err as Error).message,
    };
  } finally {
    clearTimeout(timer);
    // A client still waiting on a silent broker disconnects only when its request times out.
    await Promise.race([admin.disconnect().catch(() => {}), sleep(1_000)]);
  }
}
