import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_PORTS, isLoopback, portEnvName, resolvePorts } from './config.ts';

describe('resolvePorts', () => {
  it('uses the design defaults', () => {
    expect(resolvePorts({})).toEqual(DEFAULT_PORTS);
  });

  it('shifts every port by HUNT_PORT_OFFSET and lets one port be set on its own', () => {
    const ports = resolvePorts({ HUNT_PORT_OFFSET: '100', HUNT_PORT_KAFKA_PROXY: '30000' });
    expect(ports.kafka).toBe(9192);
    expect(ports.toxiproxy).toBe(8574);
    expect(ports.kafkaProxy).toBe(30000);
  });

  it('names the variable of a bad value', () => {
    expect(() => resolvePorts({ HUNT_PORT_KAFKA: 'ninety' })).toThrow(
      /HUNT_PORT_KAFKA: expected a whole number/,
    );
    expect(() => resolvePorts({ HUNT_PORT_OFFSET: '-5' })).toThrow(ConfigError);
    expect(() => resolvePorts({ HUNT_PORT_OFFSET: '60000' })).toThrow(/above 65535/);
  });

  it('refuses two roles on one port', () => {
    expect(() => resolvePorts({ HUNT_PORT_KINESIS: '9092' })).toThrow(
      /kafka and kinesis are both 9092/,
    );
  });

  it('spells env names from keys', () => {
    expect(portEnvName('kafkaController')).toBe('HUNT_PORT_KAFKA_CONTROLLER');
  });
});

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.10.0.3', true],
    ['localhost', true],
    ['[::1]', true],
    ['10.0.0.1', false],
    ['192.168.1.2', false],
    ['example.com', false],
    ['127.0.0.1.example.com', false],
  ])('%s -> %s', (host, expected) => {
    expect(isLoopback(host)).toBe(expected);
  });
});
