import { z } from 'zod';
import { PROXY_NAMES, resolveProxy } from '../targets.ts';
import { defineFault } from './types.ts';

/** Disables a proxy: open connections are cut and new ones refused, as if the peer were gone. */
const Disable = z.strictObject({ proxy: z.enum(PROXY_NAMES) });
type Disable = z.output<typeof Disable>;

export const disable = defineFault<Disable>({
  key: 'disable',
  schema: Disable,
  exclusive: true,
  kind: () => 'disable',
  target: (d, backend) => resolveProxy(d.proxy, backend),
  describe: (_d, target) => `${target} proxy down`,
  async apply(_d, ctx) {
    await ctx.toxiproxy.setEnabled(ctx.target, false);
    return () => ctx.toxiproxy.setEnabled(ctx.target, true);
  },
});
