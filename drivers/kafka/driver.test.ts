import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadFidelityProfile, runFidelity } from '../../run/fidelity.ts';
import { resolvePaths, resolvePorts } from '../../stack/config.ts';
import { KAFKA_VERSION } from '../../stack/tools.ts';
import { kafkaDriver } from './driver.ts';

const local = kafkaDriver.local!;
const facts = (brokers: number) => ({
  options: { kafka: { brokers, crossZoneMs: brokers > 1 ? 0.7 : 0 } },
  partitions: 4,
  quota: null,
});

/** A port that was free a moment ago and is closed again. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('the Kafka driver records what the stack ran', () => {
  it('names the cluster it ran in the emulation line, one broker or three', () => {
    expect(local.emulation(facts(1))).toEqual({
      kafka: `Apache Kafka ${KAFKA_VERSION}, single broker (KRaft), 4 partitions`,
    });
    expect(local.emulation(facts(3))).toEqual({
      kafka: `Apache Kafka ${KAFKA_VERSION}, 3 brokers (KRaft), 4 partitions`,
    });
  });

  it('grades replication by the cluster the stack ran, never real before the topic is read back', () => {
    const profile = loadFidelityProfile('kafka-3az').profile;
    expect(local.dimensions(profile, facts(1)).replication?.level).toBe('absent');
    expect(local.dimensions(profile, facts(3)).replication?.level).toBe('unknown');
  });

  it('leaves replication unknown, with the reason, when no broker answers the read-back', async () => {
    const loaded = loadFidelityProfile('kafka-3az');
    const before = runFidelity(loaded, kafkaDriver, facts(3));
    // A port nothing listens on: the broker's listener as if it had gone.
    const closed = await freePort();
    const ports = resolvePorts({}, { kafka: closed });
    const c = { paths: resolvePaths({ HUNT_CACHE: tmpdir() }), ports, stack: undefined };
    const { fidelity, line } = await local.readBack!(c, 'hunt-x', before);
    expect(fidelity.readBack).toMatchObject({
      topic: 'hunt-x',
      replicationFactor: null,
      minInsyncReplicas: null,
    });
    expect(fidelity.readBack?.error).toEqual(expect.any(String));
    expect(fidelity.dimensions.replication).toMatchObject({ level: 'unknown' });
    expect(fidelity.dimensions.replication?.note).toMatch(/not read back from the broker \(.+\)/);
    expect(line).toMatch(/^replication unknown: /);
    // The other dimensions are as they were.
    expect(fidelity.dimensions.network).toEqual(before.dimensions.network);
  });
});
