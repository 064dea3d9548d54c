import { z } from 'zod';
import { brokerQuota, quotaOf, quotaProviders, TargetError } from '../targets.ts';
import { defineFault, type QuotaSetting } from './types.ts';

/**
 * Provider quotas for the window: a broker's own (its driver's `local.chaos.quota`: the
 * Kinesis service model's per-shard limits × multiplier, Kafka's client quotas), named by
 * provider or as `broker`. A provider with a `lie` mode acknowledges `share` of the written
 * records and drops them. The previous setting comes back afterwards.
 */
const quotaSchema = (c: Parameters<typeof quotaProviders>[0]) =>
  z
    .strictObject({
      provider: z.enum(quotaProviders(c)),
      mode: z.enum(['on', 'off', 'lie']).default('on'),
      multiplier: z.number().positive().max(1000).default(1),
      /** Bytes/s per client, where the provider takes it. */
      producerByteRate: z.number().int().positive().optional(),
      /** lie only: the share of written records acknowledged and dropped. */
      share: z.number().positive().max(1).optional(),
    })
    .superRefine((q, ctx) => {
      const named = quotaOf(c, q.provider);
      if (named && !named.byteRate && q.producerByteRate !== undefined) {
        const owner = c.find((b) => b.quota?.byteRate);
        ctx.addIssue({
          code: 'custom',
          path: ['producerByteRate'],
          message: `is a ${owner?.label ?? 'different'} quota; the ${q.provider} provider takes a multiplier`,
        });
      }
      if (named && !named.modes.includes(q.mode)) {
        const owner = c.find((b) => b.quota?.modes.includes(q.mode));
        ctx.addIssue({
          code: 'custom',
          path: ['mode'],
          message: `${q.mode} is a mode of the ${owner?.quota?.what ?? 'other quotas'} (provider ${owner?.quota?.provider ?? '?'} or broker)`,
        });
      }
    })
    .refine((q) => q.share === undefined || q.mode === 'lie', {
      path: ['share'],
      message: 'goes with mode lie',
    });
type Quota = z.output<ReturnType<typeof quotaSchema>>;

export const quota = defineFault<Quota>({
  key: 'quota',
  schema: quotaSchema,
  exclusive: true,
  kind: (q) => (q.mode === 'lie' ? 'lie' : 'quota'),
  target: (q, run) => {
    if (q.provider !== 'broker') return q.provider;
    const own = brokerQuota(run);
    if (!own.modes.includes(q.mode))
      throw new TargetError(`mode ${q.mode}: the ${own.what} have no such mode`);
    return own.provider;
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
    const provider = ctx.target;
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
    await ctx.quotas?.set(target, previous);
  },
});
