import { z } from 'zod';
import { proxyNames, resolveProxy, type TargetCatalogue } from '../targets.ts';
import { TOXIC_TYPES, TOXICS } from '../toxics/index.ts';
import { defineFault } from './types.ts';

/** The runner names its toxics `hunt-s<step>-<type>` so that they can be told from others. */
export const TOXIC_PREFIX = 'hunt-';

const schema = (c: TargetCatalogue) =>
  z
    .strictObject({
      proxy: z.enum(proxyNames(c)),
      type: z.enum(TOXIC_TYPES),
      name: z
        .string()
        .regex(/^[A-Za-z0-9_.-]{1,64}$/)
        .optional(),
      /** upstream: client -> server bytes; downstream: server -> client. */
      stream: z.enum(['upstream', 'downstream']).default('downstream'),
      /** Share of connections affected, 0..1. */
      toxicity: z.number().min(0).max(1).default(1),
      attributes: z.record(z.string(), z.unknown()).default({}),
    })
    .transform((t, ctx) => {
      const parsed = TOXICS[t.type].attributes.safeParse(t.attributes);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          ctx.addIssue({ ...issue, path: ['attributes', ...issue.path] } as never);
        }
        return z.NEVER;
      }
      return { ...t, attributes: parsed.data };
    });
type Toxic = z.output<ReturnType<typeof schema>>;

export const toxic = defineFault<Toxic>({
  key: 'toxic',
  schema,
  exclusive: false,
  kind: (t) => t.type,
  target: (t, run) => resolveProxy(t.proxy, run),
  // upstream carries the client's requests, downstream the server's replies.
  describe: (t, target) =>
    `${TOXICS[t.type].describe(t.attributes)} on ${target} ${t.stream === 'upstream' ? 'requests' : 'replies'}` +
    (t.toxicity < 1 ? ` (${Math.round(t.toxicity * 100)}% of connections)` : ''),
  async apply(t, ctx) {
    const name = `${TOXIC_PREFIX}s${ctx.step}-${t.name ?? t.type}`;
    await ctx.toxiproxy.addToxic(ctx.target, {
      name,
      type: t.type,
      stream: t.stream,
      toxicity: t.toxicity,
      attributes: t.attributes,
    });
    return () => ctx.toxiproxy.removeToxic(ctx.target, name);
  },
});
