import { describe, expect, it } from 'vitest';
import { loadFidelityProfile } from '../../run/fidelity.ts';
import { KAFKA_VERSION } from '../../stack/tools.ts';
import { kafkaDriver } from './driver.ts';

const local = kafkaDriver.local!;
const facts = (brokers: number) => ({
  options: { kafka: { brokers, crossZoneMs: brokers > 1 ? 0.7 : 0 } },
  partitions: 4,
  quota: null,
});

describe('the Kafka driver records what the stack ran', () => {
  it('names the cluster it ran in the emulation line, one broker or three', () => {
    expect(local.emulation(facts(1))).toEqual({
      kafka: `Apache Kafka ${KAFKA_VERSION}, single broker (KRaft), 4 partitions`,
    });
    expect(local.emulation(facts(3))).toEqual({
      kafka: `Apache Kafka ${KAFKA_VERSION}, 3 brokers (KRaft), 4 partitions`,
    });
  });

  it('grades replication by the cluster the stack ran, not by what the profile asked', () => {
    const profile = loadFidelityProfile('kafka-3az').profile;
    expect(local.dimensions(profile, facts(1)).replication?.level).toBe('absent');
    expect(local.dimensions(profile, facts(3)).replication?.level).toBe('real');
  });
});
