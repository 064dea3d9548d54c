import {
  type Capacity,
  CapacityPatchSchema,
  DEFAULT_CAPACITY,
} from '../../engine/fulfillment/capacity.ts';
import { defineFault } from './types.ts';

/**
 * The fulfillment service's capacity for the window (engine/fulfillment/capacity.ts): any
 * subset of service time, concurrency, queue limit, queue timeout and error shares. The
 * capacity it replaced comes back afterwards.
 */
const Downstream = CapacityPatchSchema.refine((d) => Object.keys(d).length > 0, {
  message: 'needs at least one setting',
}).refine((d) => (d.errorRate5xx ?? 0) + (d.errorRate4xx ?? 0) <= 1, {
  path: ['errorRate4xx'],
  message: 'errorRate5xx + errorRate4xx must not exceed 1',
});
type Downstream = ReturnType<typeof Downstream.parse>;

export function describeCapacity(d: Partial<Capacity>): string {
  const parts: string[] = [];
  if (d.serviceTimeMs !== undefined) parts.push(`${d.serviceTimeMs} ms/request`);
  if (d.serviceTimePerEventMs !== undefined) parts.push(`${d.serviceTimePerEventMs} ms/event`);
  if (d.concurrency !== undefined) parts.push(`${d.concurrency} at once`);
  if (d.queueLimit !== undefined) parts.push(`queue ${d.queueLimit}`);
  if (d.queueTimeoutMs !== undefined) parts.push(`queue wait ≤ ${d.queueTimeoutMs} ms`);
  if (d.errorRate5xx) parts.push(`${round(d.errorRate5xx)}% 500`);
  if (d.errorRate4xx) parts.push(`${round(d.errorRate4xx)}% 422`);
  return parts.join(', ');
}
const round = (share: number) => Math.round(share * 1000) / 10;

export const downstream = defineFault<Downstream>({
  key: 'downstream',
  schema: () => Downstream,
  exclusive: true,
  kind: () => 'capacity',
  target: () => 'fulfillment',
  describe: (d, target) => `${target} capacity: ${describeCapacity(d)}`,
  async apply(d, ctx) {
    const control = ctx.downstream;
    if (!control) throw new Error('no downstream control: run against a stack started by hunt');
    const previous = await control.set(d);
    const revert = async () => {
      await control.set(previous);
    };
    return Object.assign(revert, { memo: previous });
  },
  // Back to the capacity the crashed runner's step replaced (the defaults if the journal lacks it).
  async recover(_target, ctx, memo) {
    await ctx.downstream?.set((memo as Capacity | undefined) ?? DEFAULT_CAPACITY);
  },
});
