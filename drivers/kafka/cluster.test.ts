import { describe, expect, it } from 'vitest';
import { DEFAULT_PORTS, resolvePorts } from '../../stack/config.ts';
import {
  allBrokerPorts,
  brokerName,
  kafkaBootstrap,
  parseCluster,
  replication,
  toxicLatencyMs,
} from './cluster.ts';
import { clusterBrokerProperties } from './props.ts';

describe('cluster ports', () => {
  it('keeps the single-broker ports for broker 1 and shifts the others by 100', () => {
    const [b1, b2, b3] = allBrokerPorts(DEFAULT_PORTS, 3);
    expect(b1).toMatchObject({ client: 9092, controller: 9093, proxied: 9094, proxy: 19094 });
    expect(b2).toMatchObject({ client: 9192, proxy: 19194, peer: 9195, peerProxy: 19195 });
    expect(b3).toMatchObject({ client: 9292, proxy: 19294 });
  });

  it('follows HUNT_PORT_OFFSET', () => {
    const ports = resolvePorts({ HUNT_PORT_OFFSET: '1000' });
    expect(kafkaBootstrap(ports, { brokers: 2, crossZoneMs: 0 })).toEqual([
      '127.0.0.1:20094',
      '127.0.0.1:20194',
    ]);
    expect(kafkaBootstrap(ports, { brokers: 2, crossZoneMs: 0 }, true)).toEqual([
      '127.0.0.1:10092',
      '127.0.0.1:10192',
    ]);
  });

  it('names a lone broker kafka and a cluster one kafka-<id>', () => {
    expect(brokerName({ brokers: 1, crossZoneMs: 0 }, 1)).toBe('kafka');
    expect(brokerName({ brokers: 3, crossZoneMs: 0 }, 2)).toBe('kafka-2');
  });
});

describe('parseCluster', () => {
  it('defaults to one broker, and 0.7 ms cross-zone for a cluster', () => {
    expect(parseCluster({}, {})).toEqual({ brokers: 1, crossZoneMs: 0 });
    expect(parseCluster({ HUNT_KAFKA_BROKERS: '3' }, {})).toEqual({ brokers: 3, crossZoneMs: 0.7 });
    expect(parseCluster({ HUNT_KAFKA_BROKERS: '3' }, { brokers: '2', crossZoneMs: '2' })).toEqual({
      brokers: 2,
      crossZoneMs: 2,
    });
  });

  it('names the flag of a bad value', () => {
    expect(() => parseCluster({}, { brokers: '4' })).toThrow(/--kafka-brokers: expected 1 to 3/);
    expect(() => parseCluster({}, { brokers: '3', crossZoneMs: 'x' })).toThrow(
      /--kafka-cross-zone-ms/,
    );
    expect(() => parseCluster({}, { crossZoneMs: '1' })).toThrow(/single broker/);
  });
});

describe('replication', () => {
  it('is RF min(3, brokers), min.insync.replicas 2 from three brokers', () => {
    expect(replication(1)).toEqual({ factor: 1, minInsync: 1 });
    expect(replication(2)).toEqual({ factor: 2, minInsync: 1 });
    expect(replication(3)).toEqual({ factor: 3, minInsync: 2 });
  });

  it('rounds a cross-zone latency up to whole ms', () => {
    expect(toxicLatencyMs(0)).toBe(0);
    expect(toxicLatencyMs(0.7)).toBe(1);
    expect(toxicLatencyMs(2)).toBe(2);
  });

  it('writes a static quorum of every broker and replication over the peer listener', () => {
    const all = allBrokerPorts(DEFAULT_PORTS, 3);
    const props = clusterBrokerProperties(all[1]!, all, { brokers: 3, crossZoneMs: 0.7 }, '/d');
    expect(props).toContain('node.id=2');
    expect(props).toContain(
      'controller.quorum.voters=1@127.0.0.1:9093,2@127.0.0.1:9193,3@127.0.0.1:9293',
    );
    expect(props).toContain('PEER://127.0.0.1:19195');
    expect(props).toContain('inter.broker.listener.name=PEER');
    expect(props).toContain('min.insync.replicas=2');
    expect(props).toContain('offsets.topic.replication.factor=3');
  });
});
