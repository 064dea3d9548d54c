import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PORTS, resolvePorts } from '../config.ts';
import { loadProxies } from './toxiproxy.ts';

describe('loadProxies', () => {
  it('reads chaos/proxies.json with the default ports as written', () => {
    const proxies = loadProxies(DEFAULT_PORTS);
    expect(proxies.map((p) => p.name)).toEqual(['kafka', 'kinesis', 'downstream']);
    expect(proxies[0]).toMatchObject({ listen: '127.0.0.1:19094', upstream: '127.0.0.1:9094' });
  });

  it('moves every address onto the ports in force', () => {
    const ports = resolvePorts({ HUNT_PORT_OFFSET: '1000' });
    const kafka = loadProxies(ports).find((p) => p.name === 'kafka');
    expect(kafka).toMatchObject({ listen: '127.0.0.1:20094', upstream: '127.0.0.1:10094' });
  });

  it('names the file and the proxy of a malformed entry', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'proxies-')), 'proxies.json');
    writeFileSync(file, JSON.stringify([{ name: 'kafka', listen: 19094 }]));
    expect(() => loadProxies(DEFAULT_PORTS, file)).toThrow(
      `${file}: proxy 0: 'listen' must be a string`,
    );
    writeFileSync(file, '{ not json');
    expect(() => loadProxies(DEFAULT_PORTS, file)).toThrow(file);
  });
});
