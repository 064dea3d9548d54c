import { z } from 'zod';
import { QUOTA_PROVIDERS, resolveQuotaProvider, TargetError } from '../targets.ts';
import { defineFault, type QuotaSetting } from './types.ts';

/**
 * Provider quotas for the window: Kinesis per-shard limits in the quota layer (× multiplier),
 * or Kafka client quotas (producer_byte_rate). `mode: lie` makes the Kinesis quota layer a
 * lying broker: it acknowledges `share` of the written records and drops them. The previous
 * setting comes back afterwards.
 */
const Quota = z
  .strictObject({
    provider: z.enum(QUOTA_PROVIDERS),
    mode: z.enum(['on', 'off', 'lie']).default('on'),
    multiplier: z.number().positive().max(1000).default(1),
    /** Kafka only, bytes/s per client. */
    producerByteRate: z.number().int().positive().optional(),
    /** lie only: the share of written records acknowledged and dropped. */
    share: z.number().positive().max(1).optional(),
  })
  .refine((q) => q.provider !== 'kinesis' || q.producerByteRate === undefined, {
    path: ['producerByteRate'],
    message: 'is a Kafka quota; the kinesis provider takes a multiplier',
  })
  .refine((q) => q.mode !== 'lie' || q.provider !== 'kafka', {
    path: ['mode'],
    message: 'lie is a mode of the Kinesis quota layer (provider kinesis or broker)',
  })
  .refine((q) => q.share === undefined || q.mode === 'lie', {
    path: ['share'],
    message: 'goes with mode lie',
  });
type Quota = z.output<typeof Quota>;

export const quota = defineFault<Quota>({
  key: 'quota',
  schema: Quota,
  exclusive: true,
  kind: (q) => (q.mode === 'lie' ? 'lie' : 'quota'),
  target: (q, backend) => {
    const target = resolveQuotaProvider(q.provider, backend);
    if (q.mode === 'lie' && target === 'kafka')
      throw new TargetError('mode lie needs the Kinesis quota layer: Kafka has no lying mode');
    return target;
  },
  describe: (q, target) => {
    if (q.mode === 'off') return `${target} quotas off`;
    if (q.mode === 'lie')
      return `${target} lies: drops ${Math.round((q.share ?? 1) * 100)}% of written records`;
    const rate = q.producerByteRate ? `, producer_byte_rate ${q.producerByteRate}B/s` : '';
    return `${target} quotas on ×${q.multiplier}${rate}`;
  },
  async apply(q, ctx) {
    const quotas = ctx.quotas;
    if (!quotas) throw new Error('no quota control: run against a stack started by hunt');
    const provider = ctx.target as 'kafka' | 'kinesis';
    const setting: QuotaSetting = { mode: q.mode, multiplier: q.multiplier };
    if (q.producerByteRate !== undefined) setting.producerByteRate = q.producerByteRate;
    if (q.mode === 'lie') setting.share = q.share ?? 1;
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
