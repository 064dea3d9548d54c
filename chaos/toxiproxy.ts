/** ToxiproxyApi over toxiproxy-node-client. */
import { Toxiproxy } from 'toxiproxy-node-client';
import type { ToxiproxyApi } from './faults/types.ts';

export function toxiproxyApi(url: string): ToxiproxyApi {
  const client = new Toxiproxy(url.replace(/\/$/, ''));
  return {
    async addToxic(proxy, toxic) {
      const p = await client.get(proxy);
      await p.addToxic(toxic as never);
    },
    async removeToxic(proxy, name) {
      const p = await client.get(proxy);
      const t = await p.getToxic(name);
      await t.remove();
    },
    async setEnabled(proxy, enabled) {
      const p = await client.get(proxy);
      await p.update({ enabled, listen: p.listen, upstream: p.upstream });
    },
    reset: () => client.reset(),
    async proxies() {
      const res = await client
        .getApi()
        .get<Record<string, { name: string; enabled: boolean; toxics: { name: string }[] }>>(
          `${client.host}/proxies`,
        );
      return Object.values(res.data).map((p) => ({
        name: p.name,
        enabled: p.enabled,
        toxics: p.toxics.map((t) => t.name),
      }));
    },
  };
}
