import { describe, expect, it } from 'vitest';
import { DEFAULT_PORTS, resolvePorts } from '../stack/config.ts';
import { stackProxies } from './stack.ts';

describe("the stack's proxies", () => {
  it("serves each stand-in's proxy and chaos/proxies.json's, with the default ports as written", () => {
    const proxies = stackProxies(DEFAULT_PORTS);
    expect(proxies.map((p) => p.name)).toEqual(['kafka', 'kinesis', 'downstream']);
    expect(proxies[0]).toMatchObject({ listen: '127.0.0.1:19094', upstream: '127.0.0.1:9094' });
  });

  it('moves every address onto the ports in force', () => {
    const ports = resolvePorts({ HUNT_PORT_OFFSET: '1000' });
    const kafka = stackProxies(ports).find((p) => p.name === 'kafka');
    expect(kafka).toMatchObject({ listen: '127.0.0.1:20094', upstream: '127.0.0.1:10094' });
  });
});

describe('stackProxies', () => {
  it('keeps the one kafka proxy alone and gives a cluster a client and a peer proxy per broker', () => {
    expect(stackProxies(DEFAULT_PORTS).map((p) => p.name)).toEqual([
      'kafka',
      'kinesis',
      'downstream',
    ]);
    const cluster = stackProxies(DEFAULT_PORTS, { kafka: { brokers: 3, crossZoneMs: 0.7 } });
    expect(cluster.map((p) => p.name)).toEqual([
      'kafka-1',
      'kafka-1-peer',
      'kafka-2',
      'kafka-2-peer',
      'kafka-3',
      'kafka-3-peer',
      'kinesis',
      'downstream',
    ]);
    expect(cluster[3]).toMatchObject({ listen: '127.0.0.1:19195', upstream: '127.0.0.1:9195' });
  });
});
