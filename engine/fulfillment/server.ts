import Fastify, { type FastifyInstance } from 'fastify';

export interface FulfillmentOptions {
  host: string;
  port: number;
  /** Artificial service time per batch, ms (0: answer at once). */
  delayMs?: number;
  /** Echoed by /healthz, so that a run can tell its own service from another on the port. */
  instance?: string;
}

/**
 * The fulfillment service the consumer calls through the downstream proxy: it records
 * each event id once (idempotent, like a real shipping system keyed by order id) and
 * counts repeats. Its own process, so chaos can stop or slow it independently.
 */
export function buildFulfillment(
  opts: Pick<FulfillmentOptions, 'delayMs' | 'instance'> = {},
): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 32 * 1024 * 1024 });
  const fulfilled = new Set<string>();
  let batches = 0;
  let repeats = 0;
  app.post<{ Body: { events: { id: string }[] } }>(
    '/fulfillments',
    {
      schema: {
        body: {
          type: 'object',
          required: ['events'],
          properties: {
            events: {
              type: 'array',
              items: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
            },
          },
        },
      },
    },
    async (req) => {
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      batches++;
      for (const e of req.body.events) {
        if (fulfilled.has(e.id)) repeats++;
        else fulfilled.add(e.id);
      }
      return { ok: req.body.events.length };
    },
  );
  app.get('/status', async () => ({ fulfilled: fulfilled.size, batches, repeats }));
  app.get('/healthz', async () => ({ ok: true, instance: opts.instance ?? null }));
  return app;
}

export async function startFulfillment(opts: FulfillmentOptions): Promise<FastifyInstance> {
  const app = buildFulfillment(opts);
  await app.listen({ host: opts.host, port: opts.port });
  return app;
}
