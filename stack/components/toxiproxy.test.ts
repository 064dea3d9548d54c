import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PORTS, resolvePorts } from '../config.ts';
import { loadProxies } from './toxiproxy.ts';

describe('loadProxies', () => {
  it('reads chaos/proxies.json and moves every address onto the ports in force', () => {
    expect(loadProxies(DEFAULT_PORTS)).toEqual([
      { name: 'downstream', listen: '127.0.0.1:18081', upstream: '127.0.0.1:8081', enabled: true },
    ]);
    const ports = resolvePorts({ HUNT_PORT_OFFSET: '1000' });
    expect(loadProxies(ports)[0]).toMatchObject({
      listen: '127.0.0.1:19081',
      upstream: '127.0.0.1:9081',
    });
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
