/** DownstreamControl over the fulfillment service's admin route (PUT /admin/capacity). */
import type { Capacity, CapacityPatch } from '../engine/fulfillment/capacity.ts';
import type { DownstreamControl } from './faults/types.ts';

export function downstreamControl(adminUrl: string): DownstreamControl {
  const url = `${adminUrl.replace(/\/$/, '')}/admin/capacity`;
  return {
    async set(patch: CapacityPatch): Promise<Capacity> {
      const res = await fetch(url, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(patch),
        signal: AbortSignal.timeout(5_000),
      });
      if (!res.ok) throw new Error(`fulfillment ${url}: ${res.status} ${await res.text()}`);
      const { previous } = (await res.json()) as { previous: Capacity };
      return previous;
    },
  };
}
