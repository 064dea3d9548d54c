/**
 * Toxiproxy, with the proxies every component asks for (each broker's stand-in puts itself
 * behind its own) and those of chaos/proxies.json (Toxiproxy's own populate format: the
 * fulfillment service's). Addresses there carry the default ports; each is rewritten to the
 * port in force, so a stack on shifted ports gets the same proxies.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PORTS, HOST, type Ports } from '../config.ts';
import { REPO_ROOT } from '../tools.ts';
import type { Component, ProxyConfig } from './types.ts';

export type { ProxyConfig } from './types.ts';

export const PROXIES_FILE = join(REPO_ROOT, 'chaos', 'proxies.json');

/**
 * Toxics that belong to the stack, not to a fault: their names start with this, and the
 * chaos runner's reset keeps them (chaos/toxiproxy.ts).
 */
export const BASELINE_PREFIX = 'baseline-';

/** A proxy from one of the stack's ports to another. */
export const proxy = (name: string, listen: number, upstream: number): ProxyConfig => ({
  name,
  listen: `${HOST}:${listen}`,
  upstream: `${HOST}:${upstream}`,
  enabled: true,
});

export function loadProxies(ports: Ports, file = PROXIES_FILE): ProxyConfig[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
  if (!Array.isArray(raw)) throw new Error(`${file}: expected an array of proxies`);
  return raw.map((p: Partial<ProxyConfig>, i) => {
    for (const field of ['name', 'listen', 'upstream'] as const) {
      if (typeof p[field] !== 'string')
        throw new Error(`${file}: proxy ${i}: '${field}' must be a string`);
    }
    return {
      name: p.name!,
      listen: remap(p.listen!, ports),
      upstream: remap(p.upstream!, ports),
      enabled: p.enabled ?? true,
    };
  });
}

function remap(address: string, ports: Ports): string {
  const [host, port] = address.split(':');
  const key = (Object.keys(DEFAULT_PORTS) as (keyof Ports)[]).find(
    (k) => String(DEFAULT_PORTS[k]) === port,
  );
  return key ? `${host}:${ports[key]}` : address;
}

export function toxiproxyUrl(ports: Ports): string {
  return `http://${HOST}:${ports.toxiproxy}`;
}

async function get(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.text();
}

export const toxiproxy: Component = {
  name: 'toxiproxy',
  readyTimeoutMs: 20_000,
  requires: ['toxiproxy'],
  listens: ({ ports }) => ({ api: ports.toxiproxy }),
  async prepare({ ports, paths, tools, proxies }) {
    const dir = join(paths.state, 'toxiproxy');
    mkdirSync(dir, { recursive: true });
    const config = join(dir, 'proxies.json');
    writeFileSync(config, `${JSON.stringify(proxies, null, 2)}\n`);
    return {
      name: 'toxiproxy',
      command: tools.toxiproxyServer,
      args: ['-host', HOST, '-port', String(ports.toxiproxy), '-config', config],
      cwd: dir,
      env: {},
      log: join(dir, 'toxiproxy.log'),
    };
  },
  async ready({ ports, proxies: wanted }) {
    const proxies = JSON.parse(await get(`${toxiproxyUrl(ports)}/proxies`)) as Record<
      string,
      unknown
    >;
    const missing = wanted.filter((p) => !(p.name in proxies));
    if (missing.length > 0)
      throw new Error(`proxies not created yet: ${missing.map((p) => p.name).join(', ')}`);
  },
  async version({ ports }) {
    const body = (await get(`${toxiproxyUrl(ports)}/version`)).trim();
    try {
      return String((JSON.parse(body) as { version?: string }).version ?? body);
    } catch {
      return body;
    }
  },
};
