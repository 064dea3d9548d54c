/**
 * ToxiproxyApi over Toxiproxy's HTTP API. A name covers the proxy of that name and every
 * proxy named `<name>-...`: on a Kafka cluster `kafka` is every broker's proxies and `kafka-2`
 * is broker 2's client and replication proxies; alone, `kafka` is the one proxy. Toxics named
 * `baseline-...` belong to the stack (a cluster's cross-zone latency): reset keeps them.
 */
import { BASELINE_PREFIX } from '../stack/components/toxiproxy.ts';
import type { ToxiproxyApi } from './faults/types.ts';

interface ProxyState {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: { name: string }[];
}

export function toxiproxyApi(url: string): ToxiproxyApi {
  const base = url.replace(/\/$/, '');
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${base}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`toxiproxy ${method} ${path}: HTTP ${res.status} ${text.trim()}`);
    return text ? JSON.parse(text) : undefined;
  };
  const all = async () =>
    Object.values((await call('GET', '/proxies')) as Record<string, ProxyState>);
  const members = async (name: string): Promise<ProxyState[]> => {
    const found = (await all()).filter((p) => p.name === name || p.name.startsWith(`${name}-`));
    if (found.length === 0) throw new Error(`toxiproxy: no proxy '${name}'`);
    return found;
  };
  const setEnabled = (p: ProxyState, enabled: boolean) =>
    call('POST', `/proxies/${p.name}`, { enabled, listen: p.listen, upstream: p.upstream });
  return {
    async addToxic(proxy, toxic) {
      for (const p of await members(proxy)) await call('POST', `/proxies/${p.name}/toxics`, toxic);
    },
    async removeToxic(proxy, name) {
      for (const p of await members(proxy)) {
        if (p.toxics.some((t) => t.name === name)) {
          await call('DELETE', `/proxies/${p.name}/toxics/${name}`);
        }
      }
    },
    async setEnabled(proxy, enabled) {
      for (const p of await members(proxy)) await setEnabled(p, enabled);
    },
    async reset() {
      for (const p of await all()) {
        if (!p.enabled) await setEnabled(p, true);
        for (const t of p.toxics) {
          if (!t.name.startsWith(BASELINE_PREFIX)) {
            await call('DELETE', `/proxies/${p.name}/toxics/${t.name}`);
          }
        }
      }
    },
    async proxies() {
      return (await all()).map((p) => ({
        name: p.name,
        enabled: p.enabled,
        toxics: p.toxics.map((t) => t.name),
      }));
    },
  };
}
