import { z } from 'zod';
import { QUOTA_PROVIDERS, resolveQuotaProvider } from '../targets.ts';
import { defineFault, type QuotaSetting } from './types.ts';

/**
 * Provider quotas for the window: Kinesis per-shard limits in the quota layer (× multiplier),
 * or Kafka client quotas (producer_byte_rate). The previous setting comes back afterwards.
 */
const Quota = z
  .strictObject({
    provider: z.enum(QUOTA_PROVIDERS),
    mode: z.enum(['on', 'off']).default('on'),
    multiplier: z.number().positive().max(1000).default(1),
    /** Kafka only, bytes/s per client. */
    producerByteRate: z.number().int().positive().optional(),
  })
  .refine((q) => q.provider !== 'kinesis' || q.producerByteRate === undefined, {
    path: ['producerByteRate'],
    message: 'is a Kafka quota; the kinesis provider takes a multiplier',
  });
type Quota = z.output<typeof Quota>;

export const quota = defineFault<Quota>({
  key: 'quota',
  schema: Quota,
  exclusive: true,
  kind: () => 'quota',
  target: (q, backend) => resolveQuotaProvider(q.provider, backend),
  describe: (q, target) => {
    if (q.mode === 'off') return `${target} quotas off`;
    const rate = q.producerByteRate ? `, producer_byte_rate ${q.producerByteRate}B/s` : '';
    return `${target} quotas on ×${q.multiplier}${rate}`;
  },
  async apply(q, ctx) {
    const quotas = ctx.quotas;
    if (!quotas) throw new Error('no quota control: run against a stack started by hunt');
    const provider = ctx.target as 'kafka' | 'kinesis';
    const setting: QuotaSetting = { mode: q.mode, multiplier: q.multiplier };
    if (q.producerByteRate !== undefined) setting.producerByteRate = q.producerByteRate;
    const previous = await quotas.set(provider, setting);
    const revert = async () => {
      await quotas.set(provider, previous);
    };
    return Object.assign(revert, { memo: previous });
  },
  // Back to the setting the crashed runner's step replaced (off if the journal lacks it).
  async recover(target, ctx, memo) {
    const previous = (memo as QuotaSetting | undefined) ?? { mode: 'off', multiplier: 1 };
    await ctx.quotas?.set(target as 'kafka' | 'kinesis', previous);
  },
});
