import { z } from 'zod';
import { proxyNames, resolveProxy, type TargetCatalogue } from '../targets.ts';
import { defineFault } from './types.ts';

/** Disables a proxy: open connections are cut and new ones refused, as if the peer were gone. */
const schema = (c: TargetCatalogue) => z.strictObject({ proxy: z.enum(proxyNames(c)) });
type Disable = z.output<ReturnType<typeof schema>>;

export const disable = defineFault<Disable>({
  key: 'disable',
  schema,
  exclusive: true,
  kind: () => 'disable',
  target: (d, run) => resolveProxy(d.proxy, run),
  describe: (_d, target) => `${target} proxy down`,
  async apply(_d, ctx) {
    await ctx.toxiproxy.setEnabled(ctx.target, false);
    return () => ctx.toxiproxy.setEnabled(ctx.target, true);
  },
});
